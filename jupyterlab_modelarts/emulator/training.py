"""Training jobs (004 §5.1, TJ-1 to TJ-11 and TJ-13), error shape E4 (`is_success`).

Every version really runs: its code folder is copied out of local OBS and its boot file runs as
a process group (runtime/training_runner.py); statuses are the numeric codes of 004 §5.5:
`1` INIT on create, `7` WAITING while the code is copied, `8` RUNNING, then `10` COMPLETED,
`11` FAILED (non-zero exit), `9` KILLING and `12` KILLED after a stop (`13` CANCELED if it had
not started), `5` SUBMIT_FAILED when the job cannot start, `3` IMAGE_FAILED for custom images
(Local ModelArts runs no containers). Built-in algorithms (`model_id`) run when Local
ModelArts implements them (runtime/algorithms: the scikit-learn classifiers). A failed version
carries the reason in `failed_reason` (not in the documents; the log has it too). After a
restart, versions that were running are `11` FAILED with the reason in their log.

A version with `worker_server_num` N runs as N worker processes with the cloud's per-worker
variables (runtime/workers.py); TJ-10 lists one log per worker (`<job>.<index>`), and the version
carries `task_statuses` (each worker's `task`, `phase` and `log_file`; not in the v1 documents,
shaped after v2's) so that a client can show every worker.

Module settings (`EmulatorConfig.modules["training"]`): `python` (interpreter for every
engine, default: the emulator's own), `engine_pythons` (`{engine_id: interpreter}`),
`job_quota` (default 100), `plays` (`both`, `huaweicloud`: v2 training only, `tcloudpublic`:
v1 only; see config.TRAINING_APIS_OF).

Training job configurations (training_configs.py) and visualization jobs
(visualization_jobs.py) are served through this module's ROUTES.
"""

from __future__ import annotations

import json
import shutil
import sys
import uuid
from pathlib import Path
from typing import Any

from ..whole_numbers import parse_whole_number
from . import training_configs, visualization_jobs
from .context import EmulatorContext
from .errors import ApiError, Family
from .fields import Rule, check, query_choice, query_int
from .handler import EmulatorHandler
from .runtime import logs, processes
from .runtime.algorithms import CLASSIFIERS, local_algorithm
from .runtime.run_registry import RunRegistry
from .runtime.training_runner import (
    RunPhase,
    RunUpdate,
    TrainingRequest,
    log_file_name,
)
from .store import Document, now_ms
from .training_spec import (
    CODES,
    DUPLICATE,
    NOT_ALLOWED,
    NOT_FOUND,
    OUTPUT_PATH_IN_USE,
    JobStatus,
    built_in_algorithm,
    check_config,
    engine_fields,
    name_rule,
    paged,
    parameters,
    spec_fields,
    status_filter,
)
from .workspaces import require_workspace

MODULE = "training"
#: The training API generation of these routes, configurations and visualization jobs included
#: (see app.make_app: Local ModelArts playing Huawei Cloud refuses them).
TRAINING_API = "v1"
JOBS = "training_jobs"
VERSIONS = "training_versions"
DEFAULT_JOB_QUOTA = 100
SHUTDOWN_REASON = "Local ModelArts stopped while this job was running"

JOB_RULES = (
    name_rule("job_name", 64),
    Rule("job_desc", max_length=256),
    Rule("workspace_id", min_length=1),
    Rule("config", dict, required=True),
    Rule("config.create_version", bool),
    Rule("config.volumes", list),
    Rule("config.volumes[]", dict),
)
VERSION_RULES = (
    Rule("job_desc", max_length=256),
    Rule("config", dict, required=True),
    Rule("config.pre_version_id", int, required=True),
)
DESCRIPTION_RULES = (Rule("job_desc", max_length=256),)

#: Fields of a stored version that are not part of the documented TrainingJobVersion.
_PRIVATE = ("work_dir", "pid", "pids", "marker", "end_time")
#: String fields of a version copied from the request's configuration ("" when not given).
_CONFIG_TEXT_FIELDS = (
    "app_url",
    "boot_file_url",
    "data_url",
    "train_url",
    "log_url",
    "dataset_id",
    "dataset_version_id",
    "user_image_url",
    "user_command",
)
_EMPTY_METRICS = '{"metric":[],"total_metric":{}}'


# --- execution ------------------------------------------------------------------------------


class TrainingExecutor(RunRegistry):
    """Runs job versions and keeps their stored documents current (`ctx.services["training"]`)."""

    def __init__(self, ctx: EmulatorContext) -> None:
        super().__init__()
        self.ctx = ctx

    @property
    def _settings(self) -> dict[str, Any]:
        return self.ctx.config.module_settings(MODULE)

    def python_for(self, engine_id: int) -> str:
        pythons = self._settings.get("engine_pythons", {})
        chosen = pythons.get(engine_id) or pythons.get(str(engine_id))
        return str(chosen or self._settings.get("python") or sys.executable)

    def job_quota(self) -> int:
        return int(self._settings.get("job_quota", DEFAULT_JOB_QUOTA))

    def start(self, job: Document, version: Document) -> None:
        """Run `version` (status INIT) or fail it at once when it cannot run here."""
        version_id = str(version["version_id"])
        if version.get("user_image_url"):
            self._finish_early(
                version,
                JobStatus.IMAGE_FAILED,
                "Local ModelArts runs no container images; use app_url + boot_file_url",
            )
            return
        parameters = [(p["label"], str(p["value"])) for p in version["parameter"]]
        local_code = None
        boot_file = version["boot_file_url"]
        if version.get("model_id"):
            algorithm = built_in_algorithm(int(version["model_id"]))
            found = local_algorithm(algorithm["model_name"])
            if found is None:
                self._finish_early(
                    version,
                    JobStatus.SUBMIT_FAILED,
                    f"the built-in algorithm {algorithm['model_name']} has no local "
                    f"implementation (local ones: {', '.join(CLASSIFIERS)})",
                )
                return
            local_code, boot_file, leading = found
            parameters = leading + parameters
        request = TrainingRequest(
            marker=version["marker"],
            job_id=str(job["job_id"]),
            job_name=job["job_name"],
            app_url=version["app_url"],
            boot_file_url=boot_file,
            train_url=version["train_url"],
            data_url=_data_url(version),
            log_url=version.get("log_url") or None,
            parameters=parameters,
            python=self.python_for(int(version["engine_id"])),
            obs_root=self.ctx.obs.buckets_dir,
            work_dir=Path(version["work_dir"]),
            local_code=local_code,
            workers=int(version["worker_server_num"]),
        )
        self.launch(version_id, request, self._on_update)

    def recover(self) -> None:
        """After a restart: versions that were running died with the previous emulator."""
        for version in self.ctx.store.list(VERSIONS):
            if JobStatus(version["status"]).terminal:
                continue
            # Worker 0's pid, and every worker's once all had started.
            for pid in {version.get("pid"), *(version.get("pids") or [])}:
                if pid:
                    processes.kill_orphan(int(pid), version["marker"])
            _append_log(version, SHUTDOWN_REASON)
            self.save(_finished(version, JobStatus.FAILED, SHUTDOWN_REASON))

    def _finish_early(self, version: Document, status: JobStatus, reason: str) -> None:
        _append_log(version, reason)
        self.save(_finished(version, status, reason))

    def _on_update(self, version_id: str, update: RunUpdate) -> None:
        store = self.ctx.store
        with store.transaction():
            version = store.get(VERSIONS, version_id)
            if version is None:  # deleted while running
                return
            current = JobStatus(version["status"])
            if update.worker_phases:
                version["task_statuses"] = _task_statuses(version, update)
            if update.phase is RunPhase.PREPARING:
                if current is JobStatus.INIT:
                    version["status"] = int(JobStatus.WAITING)
            elif update.phase is RunPhase.RUNNING:
                version["pid"] = update.pid
                version["pids"] = list(update.pids)
                version["start_time"] = update.started_at
                if current is not JobStatus.KILLING:
                    version["status"] = int(JobStatus.RUNNING)
            elif self._shutting_down:
                _append_log(version, SHUTDOWN_REASON)
                version = _finished(version, JobStatus.FAILED, SHUTDOWN_REASON, update.ended_at)
            elif update.phase is RunPhase.SUCCEEDED:
                version = _finished(version, JobStatus.COMPLETED, "", update.ended_at)
            elif update.phase is RunPhase.STOPPED:
                status = JobStatus.KILLED if update.started_at else JobStatus.CANCELED
                version = _finished(version, status, "", update.ended_at)
            else:
                status = JobStatus.FAILED if update.started_at else JobStatus.SUBMIT_FAILED
                version = _finished(version, status, update.reason, update.ended_at)
            self.save(version)
        if update.phase.finished:
            self.forget(version_id)

    def save(self, version: Document) -> None:
        self.ctx.store.put(
            VERSIONS, str(version["version_id"]), version, parent=str(version["job_id"])
        )


def _finished(
    version: Document, status: JobStatus, reason: str, ended_at: int | None = None
) -> Document:
    version = {**version, "status": int(status), "end_time": ended_at or now_ms()}
    if reason:
        version["failed_reason"] = reason
    return version


def _task_statuses(version: Document, update: RunUpdate) -> list[Document]:
    """Each worker's phase, shaped like v2's `status.task_statuses` (`task`, `exit_code`,
    `message`) with the worker's `phase` added: not in the v1 documents, it lets a client show
    every worker of a job."""
    names = _log_names(version)
    return [
        {"task": f"worker-{index}", "phase": phase.value, "log_file": names[index]}
        for index, phase in enumerate(update.worker_phases)
    ]


def _data_url(version: Document) -> str | None:
    if version.get("data_url"):
        return str(version["data_url"])
    for source in version.get("data_source") or []:
        if source.get("type") == "obs" and source.get("data_url"):
            return str(source["data_url"])
    return None


def _log_names(version: Document) -> list[str]:
    """One log per worker, named as TJ-10 lists them."""
    workers = int(version.get("worker_server_num") or 1)
    return [log_file_name(version["job_name"], index) for index in range(workers)]


def _log_path(version: Document, index: int = 0) -> Path:
    return Path(version["work_dir"]) / "log" / log_file_name(version["job_name"], index)


def _append_log(version: Document, message: str) -> None:
    """A line of Local ModelArts' own in every worker's log."""
    logs.note((_log_path(version, i) for i in range(len(_log_names(version)))), message)


def executor(ctx: EmulatorContext) -> TrainingExecutor:
    found: TrainingExecutor = ctx.services[MODULE]
    return found


async def on_start(ctx: EmulatorContext) -> None:
    ctx.services[MODULE] = TrainingExecutor(ctx)
    executor(ctx).recover()


async def on_stop(ctx: EmulatorContext) -> None:
    executor(ctx).shutdown()
    visualization_jobs.stop_servers(ctx)


# --- documents ------------------------------------------------------------------------------


def public_version(job: Document, version: Document, *, with_job: bool) -> Document:
    """A stored version as the TrainingJobVersion of TJ-3 (`with_job`) or TJ-5."""
    shown = {k: v for k, v in version.items() if k not in _PRIVATE and k != "job_name"}
    shown["duration"] = _duration(version)
    if with_job:
        shown = {
            "job_id": job["job_id"],
            "job_name": job["job_name"],
            "job_desc": job["job_desc"],
            **shown,
        }
    else:
        shown.pop("job_id", None)
        shown.pop("spec_code", None)
        shown["model_id"] = "" if shown.get("model_id") is None else str(shown["model_id"])
        # TJ-5 prints the system metrics JSON-encoded, TJ-3 as an object.
        shown["system_metric_list"] = json.dumps(shown["system_metric_list"], separators=(",", ":"))
    return shown


#: What TJ-2 shows of a job's latest version (``_duration`` reads the times).
_LISTED_VERSION_FIELDS = ("job_id", "version_id", "status", "start_time", "end_time")


def _duration(version: Document) -> int:
    start = version.get("start_time")
    if not start:
        return 0
    end = version.get("end_time") or now_ms()
    return max(0, int(end) - int(start))


def new_version(
    ctx: EmulatorContext, job: Document, config: dict[str, Any], pre_version_id: int | None
) -> Document:
    version_id = ctx.store.next_number("training_version")
    number = ctx.store.next_number(f"training_job_{job['job_id']}_versions")
    work_dir = ctx.work_dir(MODULE, str(job["job_id"]), str(version_id))
    version: Document = {
        "job_id": job["job_id"],
        "job_name": job["job_name"],
        "version_id": version_id,
        "version_name": f"V{number:04d}",
        "pre_version_id": pre_version_id,
        **engine_fields(config),
        "status": int(JobStatus.INIT),
        "create_time": now_ms(),
        "parameter": parameters(config),
        **spec_fields(int(config["spec_id"])),
        **{field: config.get(field) or "" for field in _CONFIG_TEXT_FIELDS},
        "worker_server_num": config["worker_server_num"],
        "model_id": config.get("model_id"),
        "data_source": config.get("data_source") or [],
        "volumes": config.get("volumes") or [],
        "dataset_name": "",
        "dataset_version_name": "",
        "resource_id": f"job{uuid.uuid4().hex[:8]}",
        "model_metric_list": _EMPTY_METRICS,
        "system_metric_list": {"cpuUsage": [], "memUsage": [], "gpuUtil": [], "interval": 1},
        "start_time": None,
        "pool_id": "",
        "pool_name": "",
        "nas_mount_path": "",
        "nas_share_addr": "",
        "nas_type": "nfs",
        "work_dir": str(work_dir),
        "marker": f"training:{job['job_id']}:{version_id}",
    }
    return version


def _with_previous_code(config: dict[str, Any], previous: Document) -> dict[str, Any]:
    """A TJ-6 configuration that names no code runs the previous version's: the TJ-6 sample
    request sends neither app_url nor boot_file_url (nor model_id or an image)."""
    code_fields = ("app_url", "boot_file_url", "model_id", "user_image_url", "user_command")
    if any(config.get(field) not in (None, "") for field in code_fields):
        return config
    inherited = {f: previous[f] for f in code_fields if previous.get(f) not in (None, "")}
    return {**config, **inherited}


# --- handlers -------------------------------------------------------------------------------


class TrainingHandler(EmulatorHandler):
    family = Family.TRAINING

    @property
    def executor(self) -> TrainingExecutor:
        return executor(self.ctx)

    def job(self, job_id: str) -> Document:
        job = self.store.get(JOBS, job_id) if parse_whole_number(job_id) is not None else None
        if job is None:
            raise ApiError(404, NOT_FOUND, f"The training job {job_id} does not exist.")
        return job

    def version(self, job_id: str, version_id: str) -> tuple[Document, Document]:
        job = self.job(job_id)
        version = (
            self.store.get(VERSIONS, version_id)
            if parse_whole_number(version_id) is not None
            else None
        )
        if version is None or str(version["job_id"]) != str(job["job_id"]):
            raise ApiError(
                404, NOT_FOUND, f"The version {version_id} of training job {job_id} does not exist."
            )
        return job, version

    def check_output_path(self, train_url: str) -> None:
        """ModelArts.2604: another unfinished version writes to the same train_url."""
        wanted = train_url.rstrip("/")
        for other in self.store.list(VERSIONS):
            if (
                str(other.get("train_url") or "").rstrip("/") == wanted
                and not JobStatus(other["status"]).terminal
            ):
                raise ApiError(
                    409,
                    OUTPUT_PATH_IN_USE,
                    f"The training output path {train_url} is used by the running job "
                    f"{other['job_id']} version {other['version_id']}.",
                )

    def submit(self, job: Document, config: dict[str, Any], pre_version_id: int | None) -> Document:
        """Store and start a version whose configuration and output path were checked."""
        version = new_version(self.ctx, job, config, pre_version_id)
        self.executor.save(version)
        self.executor.start(job, version)
        return version

    def remove_version(self, version: Document) -> None:
        """Stop the version if it runs, then forget it and its files."""
        version_id = str(version["version_id"])
        self.executor.stop(version_id)
        self.executor.forget(version_id)
        self.store.delete(VERSIONS, version_id)
        shutil.rmtree(version["work_dir"], ignore_errors=True)

    def send_success(self, document: dict[str, Any] | None = None) -> None:
        self.send_json({"is_success": True, **(document or {})})


class JobsHandler(TrainingHandler):
    def post(self, project_id: str) -> None:
        """TJ-1: create a job and its first version."""
        body = self.json_body()
        check(body, JOB_RULES, CODES)
        workspace_id = body.get("workspace_id") or "0"
        require_workspace(self.ctx, workspace_id)
        config = check_config(self.ctx, body, "config.", train_url_required=True)
        if self.store.find(JOBS, name=body["job_name"]) is not None:
            raise ApiError(409, DUPLICATE, f"The training job name {body['job_name']} exists.")
        if self.store.count(JOBS) >= self.executor.job_quota():
            raise ApiError(
                400,
                "ModelArts.0106",
                f"At most {self.executor.job_quota()} training jobs can be created.",
            )
        creates_version = config.get("create_version", True) is not False
        if creates_version:
            # Every check before anything is stored: a refused create leaves no job behind.
            self.check_output_path(config["train_url"])
        job_id = self.store.next_number("training_job")
        job = {
            "job_id": job_id,
            "job_name": body["job_name"],
            "job_desc": body.get("job_desc", ""),
            "workspace_id": workspace_id,
            "create_time": now_ms(),
        }
        self.store.put(JOBS, str(job_id), job, name=job["job_name"])
        answer = {
            "job_id": str(job_id),
            "job_name": job["job_name"],
            "create_time": str(job["create_time"]),
        }
        if not creates_version:
            self.send_success(
                {
                    **answer,
                    "status": str(int(JobStatus.UNKNOWN)),
                    "version_id": "",
                    "version_name": "",
                    "resource_id": "",
                }
            )
            return
        version = self.submit(job, config, None)
        # The documented sample prints these numbers as strings.
        self.send_success(
            {
                **answer,
                "status": str(int(JobStatus.INIT)),
                "version_id": str(version["version_id"]),
                "version_name": version["version_name"],
                "resource_id": version["resource_id"],
            }
        )

    def get(self, project_id: str) -> None:
        """TJ-2: list jobs with their latest version."""
        statuses = status_filter(self.get_query_argument("status", None))
        workspace_id = self.get_query_argument("workspace_id", None) or "0"
        # Every version in one query (not one per job): a page of 1,000 jobs stays one read.
        versions_of: dict[str, list[dict[str, Any]]] = {}
        for version in self.store.list(VERSIONS, newest_first=True, fields=_LISTED_VERSION_FIELDS):
            versions_of.setdefault(str(version["job_id"]), []).append(version)
        rows = []
        for job in self.store.list(JOBS):
            if job["workspace_id"] != workspace_id:
                continue
            versions = versions_of.get(str(job["job_id"]), [])
            latest = versions[0] if versions else None
            row = {
                "job_id": job["job_id"],
                "job_name": job["job_name"],
                "version_id": latest["version_id"] if latest else None,
                "status": latest["status"] if latest else int(JobStatus.UNKNOWN),
                "create_time": job["create_time"],
                "duration": _duration(latest) if latest else 0,
                "job_desc": job["job_desc"],
                "version_count": len(versions),
            }
            if statuses is None or row["status"] in statuses:
                rows.append(row)
        page, _ = paged(
            self,
            rows,
            per_page_max=1000,
            default_order="asc",
            search_field="job_name",
            sort_fields=(
                "job_name",
                "job_desc",
                "status",
                "duration",
                "version_count",
                "create_time",
            ),
        )
        quota = self.executor.job_quota()
        total = self.store.count(JOBS)
        self.send_success(
            {
                "quotas": quota,
                "job_total_count": total,
                "job_count_limit": max(0, quota - total),
                "jobs": page,
            }
        )


class JobHandler(TrainingHandler):
    def put(self, project_id: str, job_id: str) -> None:
        """TJ-8: modify the description."""
        job = self.job(job_id)
        body = self.json_body()
        check(body, DESCRIPTION_RULES, CODES)
        job["job_desc"] = body.get("job_desc", "")
        self.store.put(JOBS, job_id, job, name=job["job_name"])
        self.send_success()

    def delete(self, project_id: str, job_id: str) -> None:
        """TJ-9: delete the job and every version (running ones are stopped)."""
        self.job(job_id)
        for version in self.store.list(VERSIONS, parent=job_id):
            self.remove_version(version)
        self.store.delete(JOBS, job_id)
        shutil.rmtree(self.ctx.work_dir(MODULE, job_id), ignore_errors=True)
        self.send_success()


class VersionsHandler(TrainingHandler):
    def post(self, project_id: str, job_id: str) -> None:
        """TJ-6: create a version from a previous one."""
        job = self.job(job_id)
        body = self.json_body()
        check(body, VERSION_RULES, CODES)
        _, previous = self.version(job_id, str(body["config"]["pre_version_id"]))
        body["config"] = _with_previous_code(body["config"], previous)
        config = check_config(self.ctx, body, "config.", train_url_required=True)
        pre_version_id = config["pre_version_id"]
        # Every check before anything is stored: a refused version changes no job_desc.
        self.check_output_path(config["train_url"])
        if "job_desc" in body:
            job["job_desc"] = body["job_desc"]
            self.store.put(JOBS, job_id, job, name=job["job_name"])
        version = self.submit(job, config, pre_version_id)
        self.send_success(
            {
                "job_id": job["job_id"],
                "job_name": job["job_name"],
                "status": version["status"],
                "create_time": version["create_time"],
                "version_id": version["version_id"],
            }
        )

    def get(self, project_id: str, job_id: str) -> None:
        """TJ-5: the versions, newest first; `page=0` (default) returns all."""
        job = self.job(job_id)
        versions = self.store.list(VERSIONS, parent=job_id, newest_first=True)
        per_page = query_int(
            self.get_query_argument("per_page", None),
            "per_page",
            CODES,
            default=10,
            minimum=1,
            maximum=1000,
        )
        page = query_int(self.get_query_argument("page", None), "page", CODES, default=0, minimum=0)
        shown = versions if page == 0 else versions[(page - 1) * per_page : page * per_page]
        self.send_success(
            {
                "job_id": job["job_id"],
                "job_name": job["job_name"],
                "job_desc": job["job_desc"],
                "version_count": len(versions),
                "versions": [public_version(job, v, with_job=False) for v in shown],
            }
        )


class VersionHandler(TrainingHandler):
    def get(self, project_id: str, job_id: str, version_id: str) -> None:
        """TJ-3."""
        job, version = self.version(job_id, version_id)
        self.send_success(public_version(job, version, with_job=True))

    def delete(self, project_id: str, job_id: str, version_id: str) -> None:
        """TJ-4: delete one version (stopping it if it runs)."""
        _, version = self.version(job_id, version_id)
        self.remove_version(version)
        self.send_success()


class StopHandler(TrainingHandler):
    def post(self, project_id: str, job_id: str, version_id: str) -> None:
        """TJ-7: KILLING now, KILLED once the process group is gone."""
        with self.store.transaction():
            _, version = self.version(job_id, version_id)
            status = JobStatus(version["status"])
            if status.terminal or status is JobStatus.KILLING:
                raise ApiError(
                    409, NOT_ALLOWED, f"This job can't be stopped. job status: {int(status)}"
                )
            version["status"] = int(JobStatus.KILLING)
            self.executor.save(version)
        if not self.executor.stop(version_id):
            self.executor.save(_finished(version, JobStatus.CANCELED, ""))
        self.send_success()


class LogFileNamesHandler(TrainingHandler):
    def get(self, project_id: str, job_id: str, version_id: str) -> None:
        """TJ-10: one log file per worker."""
        _, version = self.version(job_id, version_id)
        self.send_success({"log_file_list": _log_names(version)})


class LogHandlerBase(TrainingHandler):
    def log_file(self, job_id: str, version_id: str) -> Path:
        _, version = self.version(job_id, version_id)
        name = self.get_query_argument("log_file", None)
        if not name:
            raise ApiError(400, CODES.missing, "Invalid parameter log_file: required")
        names = _log_names(version)
        if name not in names:
            raise ApiError(404, NOT_FOUND, f"The log file {name} does not exist.")
        return _log_path(version, names.index(name))


class ByteLogHandler(LogHandlerBase):
    def get(self, project_id: str, job_id: str, version_id: str) -> None:
        """TJ-11: by byte offset; numbers as strings like the documented sample, which names
        the count `count` while the table says `log_byte_count` (both are sent)."""
        path = self.log_file(job_id, version_id)
        start = query_int(
            self.get_query_argument("start_byte", None), "start_byte", CODES, default=0, minimum=-1
        )
        offset = query_int(
            self.get_query_argument("offset", None),
            "offset",
            CODES,
            default=logs.MAX_BYTE_WINDOW,
            minimum=-logs.MAX_BYTE_WINDOW,
            maximum=logs.MAX_BYTE_WINDOW,
        )
        chunk = logs.read_bytes(path, start, offset)
        self.send_success(
            {
                "log": chunk.text,
                "end_byte": str(chunk.end_byte),
                "count": str(chunk.count),
                "log_byte_count": str(chunk.count),
            }
        )


def line_page(handler: EmulatorHandler, path: Path, *, fewest_lines: int) -> dict[str, Any]:
    """A page of a log by line, as v1 (TJ-13) and v2 answer it, from the query they share:
    `base_line` (a cursor returned earlier), `lines` (at least `fewest_lines`) and `order`.
    `start_line`/`end_line` are strings (opaque big integers upstream)."""
    base_line = handler.get_query_argument("base_line", None) or ""
    if base_line and parse_whole_number(base_line) is None:
        raise ApiError(400, CODES.invalid, "Invalid parameter base_line: a line returned earlier")
    lines = query_int(
        handler.get_query_argument("lines", None),
        "lines",
        CODES,
        default=50,
        minimum=fewest_lines,
        maximum=logs.MAX_LINES,
    )
    order = str(
        query_choice(
            handler.get_query_argument("order", None),
            "order",
            CODES,
            ("asc", "desc"),
            default="desc",
        )
    )
    chunk = logs.read_lines(path, base_line, lines, order)
    return {
        "content": chunk.content,
        "lines": chunk.lines,
        "start_line": chunk.start_line,
        "end_line": chunk.end_line,
    }


class LineLogHandler(LogHandlerBase):
    def get(self, project_id: str, job_id: str, version_id: str) -> None:
        """TJ-13: by line."""
        self.send_success(line_page(self, self.log_file(job_id, version_id), fewest_lines=0))


V1 = r"/v1/(?P<project_id>[^/]+)"
JOB = V1 + r"/training-jobs/(?P<job_id>[^/]+)"
VERSION = JOB + r"/versions/(?P<version_id>[^/]+)"

ROUTES = [
    (V1 + r"/training-jobs/?", JobsHandler),
    (JOB + r"/?", JobHandler),
    (JOB + r"/versions/?", VersionsHandler),
    (VERSION + r"/?", VersionHandler),
    (VERSION + r"/stop/?", StopHandler),
    (VERSION + r"/log/file-names/?", LogFileNamesHandler),
    (VERSION + r"/log/?", ByteLogHandler),
    (VERSION + r"/aom-log/?", LineLogHandler),
    *training_configs.ROUTES,
    *visualization_jobs.ROUTES,
]
