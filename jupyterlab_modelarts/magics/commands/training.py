"""Training: train a file or the cell's code, list jobs and versions, follow a log, stop,
describe and delete jobs and versions, and the specs, engines and built-in algorithms to train
on."""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path
from typing import Any

from ..api import Api
from ..errors import MagicError
from ..parsing import MagicArgumentParser
from ..render import Column, Listing, Record, cell_text, stream_line, timestamp, upload_line
from .base import Context, Subcommand, server_path, wait_for_operation

#: Seconds between reads of a followed log that had nothing new.
LOG_POLL_SECONDS = 1.0
#: Lines per read of a followed log (the API's most).
LOG_BATCH = 500
#: Where ``%%modelarts train`` writes the cell's code, under the kernel's folder: the server
#: can only upload files of its own tree.
CELL_FOLDER = ".modelarts-cells"
#: The log API's `worker` that reads every worker's lines, each prefixed with its worker.
ALL_WORKERS = "all"


def _duration(milliseconds: Any) -> str:
    """A training duration (milliseconds, as the API gives it) for people."""
    if not isinstance(milliseconds, (int, float)) or milliseconds <= 0:
        return ""
    if milliseconds < 60_000:
        return f"{milliseconds / 1000:.1f} s"
    seconds = int(milliseconds / 1000)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


JOB_COLUMNS = [
    Column("Name", "job_name"),
    Column("Job ID", "job_id"),
    Column("Version ID", "version_id"),
    Column("Versions", "version_count"),
    Column("Status", "status_name"),
    Column("Duration", "duration", _duration),
    Column("Created", "create_time", timestamp),
]

VERSION_COLUMNS = [
    Column("Version ID", "version_id"),
    Column("Name", "version_name"),
    Column("Status", "status_name"),
    Column("Spec ID", "spec_id"),
    Column("Engine", "engine_version"),
    Column("Workers", "worker_server_num"),
    Column("Duration", "duration", _duration),
    Column("Output", "train_url"),
    Column("Failure", "failure_reason"),
]

LAUNCHED_FIELDS = [
    Column("Job", "job_name"),
    Column("Job ID", "job_id"),
    Column("Version ID", "version_id"),
    Column("Spec", "spec"),
    Column("Engine", "engine"),
    Column("Output", "train_url"),
    Column("Status", "status_name"),
]

SPEC_COLUMNS = [
    Column("Spec", "spec_code"),
    Column("ID", "spec_id"),
    Column("Resources", "label"),
    Column("Available", "available"),
    Column("Max workers", "max_num"),
]

ENGINE_COLUMNS = [
    Column("Engine", "engine_version"),
    Column("ID", "engine_id"),
    Column("Name", "engine_name"),
]


# -- catalog -----------------------------------------------------------------------------------


def _specs(api: Api) -> list[dict[str, Any]]:
    return list(api.call("GET", "catalog/specs")["specs"])


def _engines(api: Api) -> list[dict[str, Any]]:
    return list(api.call("GET", "catalog/engines")["engines"])


def specs(context: Context, _: argparse.Namespace) -> Listing:
    return Listing(_specs(context.api), SPEC_COLUMNS, title="Training specs")


def engines(context: Context, _: argparse.Namespace) -> Listing:
    return Listing(_engines(context.api), ENGINE_COLUMNS, title="Training engines")


def spec_codes(api: Api) -> list[str]:
    return [str(s["spec_code"]) for s in _specs(api) if s.get("spec_code")]


def engine_versions(api: Api) -> list[str]:
    return [str(e["engine_version"]) for e in _engines(api) if e.get("engine_version")]


def _pick(
    items: list[dict[str, Any]], wanted: str | None, keys: tuple[str, ...], what: str
) -> dict[str, Any]:
    """The item whose ``keys`` (the first is what people type) match ``wanted``; without
    ``wanted``, the first usable one."""
    usable = [item for item in items if item.get("available", True)]
    if wanted is None:
        if not usable:
            raise MagicError("NOT_AVAILABLE", f"no {what} is available", field=what)
        return usable[0]
    for key in keys:
        for item in items:
            if str(item.get(key, "")).lower() == wanted.lower():
                return item
    choices = ", ".join(str(item.get(keys[0])) for item in items)
    raise MagicError("INVALID", f"no {what} {wanted!r}; one of: {choices}", field=what)


# -- train -------------------------------------------------------------------------------------


def _train_arguments(parser: MagicArgumentParser) -> None:
    parser.add_argument("file", nargs="?", help="a .py script or a notebook (not with %%%%)")
    parser.add_argument("--name", help="job name (default: from the file)")
    parser.add_argument("--spec", help="resource spec code or id (default: the first available)")
    parser.add_argument("--engine", help="engine version, name or id (default: the first)")
    parser.add_argument("--workers", type=int, default=1, help="worker count")
    parser.add_argument("--data", help="data: a folder here, or an OBS folder (obs://...)")
    parser.add_argument("--desc", help="job description")
    parser.add_argument(
        "--code-folder", help="folder to upload as the code (default: the file's folder)"
    )
    parser.add_argument(
        "--include-hidden", action="store_true", help="also upload hidden files and folders"
    )
    parser.add_argument(
        "--save-config", help="also save these settings as a training configuration (TC-1)"
    )
    parser.add_argument("--follow", action="store_true", help="then follow the log to its end")


def script_parameters(words: list[str]) -> list[dict[str, str]]:
    """``--lr 0.01 --epochs=3`` as ModelArts run parameters (passed as ``--label=value``)."""
    parameters = []
    position = 0
    while position < len(words):
        word = words[position]
        if not word.startswith("--") or len(word) == 2:
            raise MagicError(
                "USAGE",
                f"script arguments are --name value pairs; {word!r} is not an option name",
                field="parameters",
            )
        label, equals, value = word[2:].partition("=")
        if not equals:
            position += 1
            if position == len(words):
                raise MagicError("USAGE", f"--{label} needs a value", field="parameters")
            value = words[position]
        parameters.append({"label": label, "value": value})
        position += 1
    return parameters


def _cell_script(cell: str, name: str | None) -> str:
    """Write the cell's code where the server can read it; the script's path, for the kernel."""
    job_name = name or time.strftime("cell-%Y%m%d-%H%M%S")
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", job_name):
        raise MagicError("INVALID", "letters, digits, '-' and '_', at most 64", field="name")
    folder = Path(CELL_FOLDER) / job_name
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / f"{job_name.replace('-', '_')}.py"
    script.write_text(cell, encoding="utf-8")
    return str(script)


def _data(api: Api, data: str) -> dict[str, str]:
    if data.startswith("obs://"):
        return {"obs_url": "/" + data[len("obs://") :].lstrip("/")}
    return {"local_path": server_path(api, data)}


def train(context: Context, args: argparse.Namespace) -> Record | None:
    api = context.api
    if context.cell is not None:
        if args.file:
            raise MagicError("USAGE", "%%modelarts train trains the cell: give no file")
        local = _cell_script(context.cell, args.name)
    elif args.file:
        local = args.file
    else:
        raise MagicError("USAGE", "give the file to train (or use %%modelarts train)", field="file")
    path = server_path(api, local)
    defaults = api.call("GET", "training/prefill", params={"path": path})
    spec = _pick(_specs(api), args.spec, ("spec_code", "spec_id"), "spec")
    engine = _pick(
        _engines(api),
        args.engine,
        ("engine_version", "engine_name", "engine_id"),
        "engine",
    )
    # The output and log folders are left to the server: they follow the job name (--name).
    request: dict[str, Any] = {
        key: defaults[key]
        for key in ("path", "job_name", "code_folder", "data")
        if defaults.get(key)
    }
    request.update(
        spec_id=spec["spec_id"],
        engine_id=engine["engine_id"],
        worker_server_num=args.workers,
        parameters=script_parameters(context.passthrough),
    )
    if args.name:
        request["job_name"] = args.name
    if args.data:
        request["data"] = _data(api, args.data)
    if args.desc:
        request["job_desc"] = args.desc
    if args.code_folder:
        request["code_folder"] = server_path(api, args.code_folder)
    if args.include_hidden:
        request["include_hidden"] = True
    # The server's preview is of the proposed folder; none is proposed for a file in the root.
    if not (args.code_folder or args.include_hidden) and defaults["code_folder"]:
        stream_line(upload_line("code to upload", defaults["code"]))
    if args.save_config:
        request["save_config"] = args.save_config
    record = api.call("POST", "training/jobs", body=request)
    launched = wait_for_operation(api, record["id"])
    launched.update(spec=spec.get("spec_code"), engine=engine.get("engine_version"))
    if args.follow:
        follow_log(api, launched["job_id"], int(launched["version_id"]))
        version = _version(api, launched["job_id"], int(launched["version_id"]))
        launched["status_name"] = version.get("status_name")
    return Record(launched, LAUNCHED_FIELDS, title=f"Training job {launched['job_name']}")


# -- jobs, logs, stop --------------------------------------------------------------------------


def _jobs(api: Api) -> list[dict[str, Any]]:
    return list(api.call("GET", "training/jobs")["jobs"])


def jobs(context: Context, _: argparse.Namespace) -> Listing:
    return Listing(_jobs(context.api), JOB_COLUMNS, title="Training jobs")


def job_names(api: Api) -> list[str]:
    return [str(j["job_name"]) for j in _jobs(api) if j.get("job_name")]


def find_job(api: Api, wanted: str) -> dict[str, Any]:
    for job in _jobs(api):
        if wanted in (str(job.get("job_name")), str(job.get("job_id"))):
            return job
    raise MagicError("NOT_FOUND", f"no training job {wanted!r}", field="job")


def _version(api: Api, job_id: int | str, version_id: int) -> dict[str, Any]:
    return dict(api.call("GET", f"training/jobs/{job_id}/versions/{version_id}"))


def _job_argument(parser: MagicArgumentParser) -> None:
    parser.add_argument("job", help="job name or id")


def job(context: Context, args: argparse.Namespace) -> Listing:
    found = find_job(context.api, args.job)
    answer = context.api.call("GET", f"training/jobs/{found['job_id']}")
    return Listing(answer["versions"], VERSION_COLUMNS, title=f"Versions of {found['job_name']}")


def follow_log(api: Api, job_id: int | str, version_id: int, worker: str = "0") -> None:
    """Print worker `worker`'s log (or, with "all", every worker's) from its start as it grows,
    until the version has ended and all of it was shown. An interrupt stops the following, not
    the job."""
    path = f"training/jobs/{job_id}/versions/{version_id}/log"
    marker = "0"
    try:
        while True:
            params = {"worker": worker, "base_line": marker, "lines": LOG_BATCH}
            chunk = api.call("GET", path, params=params)
            content = chunk.get("content") or ""
            if content:
                for line in content.splitlines():
                    stream_line(line)
            marker = chunk.get("end_line") or marker
            if chunk.get("terminal") and not content:
                return
            if not content:
                time.sleep(LOG_POLL_SECONDS)
    except KeyboardInterrupt:
        stream_line("[modelarts] stopped following the log; the job goes on")


def _worker(value: str) -> str:
    if value != ALL_WORKERS and not value.isdigit():
        raise argparse.ArgumentTypeError(f"a worker index (0, 1, ...) or {ALL_WORKERS!r}")
    return value


def _logs_arguments(parser: MagicArgumentParser) -> None:
    _job_argument(parser)
    parser.add_argument("--follow", action="store_true", help="print new lines until it ends")
    parser.add_argument(
        "--worker",
        type=_worker,
        default="0",
        help=f"whose log: a worker index (default 0) or {ALL_WORKERS!r}, every worker's lines "
        "prefixed with [worker-<index>]",
    )


def logs(context: Context, args: argparse.Namespace) -> None:
    found = find_job(context.api, args.job)
    job_id, version_id = found["job_id"], int(found["version_id"])
    if args.follow:
        follow_log(context.api, job_id, version_id, args.worker)
        return
    path = f"training/jobs/{job_id}/versions/{version_id}/log"
    chunk = context.api.call("GET", path, params={"lines": LOG_BATCH, "worker": args.worker})
    for line in (chunk.get("content") or "").splitlines():
        stream_line(line)


def stop(context: Context, args: argparse.Namespace) -> Record:
    found = find_job(context.api, args.job)
    path = f"training/jobs/{found['job_id']}/versions/{found['version_id']}/stop"
    answer = context.api.call("POST", path)
    return Record(answer, VERSION_COLUMNS, title=f"Stopped {found['job_name']}")


def _event_time(value: Any) -> str:
    """An event's time: epoch milliseconds in a string (Local ModelArts) or the cloud's text."""
    text = cell_text(value)
    return timestamp(int(text)) if text.isdigit() else text


EVENT_COLUMNS = [
    Column("Time", "time", _event_time),
    Column("Level", "level"),
    Column("Event", "message"),
]


def _values(values: Any) -> str:
    return " ".join(f"{value:g}" for value in values or [])


METRIC_COLUMNS = [
    Column("Metric", "metric"),
    Column("Latest (%)", "latest"),
    Column("Per minute (%)", "value", _values),
]


def _worker_argument(parser: MagicArgumentParser) -> None:
    _job_argument(parser)
    parser.add_argument("--worker", type=_index, default="0", help="whose: a worker index")


def _index(value: str) -> str:
    if not value.isdigit():
        raise argparse.ArgumentTypeError("a worker index (0, 1, ...)")
    return value


def events(context: Context, args: argparse.Namespace) -> Listing:
    found = find_job(context.api, args.job)
    answer = context.api.call("GET", f"training/jobs/{found['job_id']}/events")
    return Listing(answer["events"], EVENT_COLUMNS, title=f"Events of {found['job_name']}")


def metrics(context: Context, args: argparse.Namespace) -> Listing:
    found = find_job(context.api, args.job)
    answer = context.api.call(
        "GET", f"training/jobs/{found['job_id']}/metrics", params={"worker": args.worker}
    )
    rows = [
        {**metric, "latest": f"{metric['value'][-1]:g}" if metric["value"] else ""}
        for metric in answer["metrics"]
    ]
    return Listing(
        rows, METRIC_COLUMNS, title=f"Resource use of {found['job_name']} ({answer['task']})"
    )


ALGORITHM_COLUMNS = [
    Column("Algorithm", "model_name"),
    Column("ID", "model_id"),
    Column("Engine", "engine_name"),
    Column("Usage", "model_usage"),
    Column("Description", "model_description"),
]


def algorithms(context: Context, _: argparse.Namespace) -> Listing:
    answer = context.api.call("GET", "catalog/algorithms")
    return Listing(answer["algorithms"], ALGORITHM_COLUMNS, title="Built-in algorithms")


def _describe_arguments(parser: MagicArgumentParser) -> None:
    _job_argument(parser)
    parser.add_argument("description", help="the new description (quote it)")


def describe(context: Context, args: argparse.Namespace) -> None:
    found = find_job(context.api, args.job)
    context.api.call("PUT", f"training/jobs/{found['job_id']}", body={"job_desc": args.description})
    print(f"described {found['job_name']}")


def delete_job(context: Context, args: argparse.Namespace) -> None:
    found = find_job(context.api, args.job)
    context.api.call("DELETE", f"training/jobs/{found['job_id']}")
    print(f"deleted {found['job_name']} and its versions")


def _version_arguments(parser: MagicArgumentParser) -> None:
    _job_argument(parser)
    parser.add_argument("version", help="version id or name (V0002)")


def _find_version(api: Api, job: dict[str, Any], wanted: str) -> dict[str, Any]:
    versions = api.call("GET", f"training/jobs/{job['job_id']}")["versions"]
    for version in versions:
        if wanted in (str(version.get("version_id")), str(version.get("version_name"))):
            return dict(version)
    raise MagicError("NOT_FOUND", f"{job['job_name']} has no version {wanted!r}", field="version")


def version(context: Context, args: argparse.Namespace) -> Record:
    found = find_job(context.api, args.job)
    wanted = _find_version(context.api, found, args.version)
    detail = _version(context.api, found["job_id"], int(wanted["version_id"]))
    return Record(detail, VERSION_COLUMNS, title=f"{found['job_name']} {wanted['version_name']}")


def delete_version(context: Context, args: argparse.Namespace) -> None:
    found = find_job(context.api, args.job)
    version = _find_version(context.api, found, args.version)
    context.api.call("DELETE", f"training/jobs/{found['job_id']}/versions/{version['version_id']}")
    print(f"deleted {found['job_name']} {version['version_name']}")


def log_files(context: Context, args: argparse.Namespace) -> list[str]:
    found = find_job(context.api, args.job)
    path = f"training/jobs/{found['job_id']}/versions/{found['version_id']}/log"
    return list(context.api.call("GET", path, params={"lines": 1}).get("log_files") or [])


TRAINING = [
    Subcommand(
        "train",
        "Train a script or notebook (or, as %%modelarts train, the cell); -- passes "
        "the script's arguments.",
        train,
        _train_arguments,
        {"--spec": spec_codes, "--engine": engine_versions},
        takes_cell=True,
    ),
    Subcommand("jobs", "List the training jobs.", jobs),
    Subcommand("job", "The versions of a training job.", job, _job_argument, {0: job_names}),
    Subcommand("logs", "Print (or --follow) a job's log.", logs, _logs_arguments, {0: job_names}),
    Subcommand("stop", "Stop a training job.", stop, _job_argument, {0: job_names}),
    Subcommand(
        "job-events",
        "A training job's events (v2 training API).",
        events,
        _job_argument,
        {0: job_names},
    ),
    Subcommand(
        "job-metrics",
        "A training job's CPU and memory use, per minute (v2 training API).",
        metrics,
        _worker_argument,
        {0: job_names},
    ),
    Subcommand(
        "describe",
        "Give a training job a new description.",
        describe,
        _describe_arguments,
        {0: job_names},
    ),
    Subcommand(
        "delete-job",
        "Delete a training job and its versions.",
        delete_job,
        _job_argument,
        {0: job_names},
    ),
    Subcommand(
        "version", "One version of a training job.", version, _version_arguments, {0: job_names}
    ),
    Subcommand(
        "delete-version",
        "Delete one version of a training job.",
        delete_version,
        _version_arguments,
        {0: job_names},
    ),
    Subcommand(
        "log-files",
        "The log file names of a job's latest version.",
        log_files,
        _job_argument,
        {0: job_names},
    ),
    Subcommand("algorithms", "Built-in algorithms to train with.", algorithms),
    Subcommand("specs", "Resource specs to train on.", specs),
    Subcommand("engines", "AI engines to train with.", engines),
]
