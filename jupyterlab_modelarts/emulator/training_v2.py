"""The current training API (`/v2/{project_id}/training-jobs`, Huawei Cloud "Training
Management"): create, search, show, terminate, delete, tasks, log preview, log by lines,
events, metrics, flavors and engines.

Jobs really run, through the same runner as v1 (runtime/training_runner.py): the code folder
`algorithm.code_dir` is copied out of local OBS and `boot_file` runs with `--{name}={value}`
for each parameter, input and output (the output named `train_url`, else the first, is where
the job writes), its log kept per task (`worker-0`) and copied to `spec.log_export_path`.
Statuses are `status.phase` / `secondary_phase` strings from their own table (`PHASES`), apart
from v1's numeric statuses: Creating on create, Pending (Queuing) while the code is copied,
Running, then Completed, Failed (CreateFailed when it could not start), Terminating and
Terminated after a terminate action. A custom image (`engine.image_url`) fails at once: Local
ModelArts runs no containers. After a restart, jobs that were running are Failed.

Flavors and engines are the v1 catalog's resource specs and engines under v2 names, so the
`training` module settings (`python`, `engine_pythons` by v1 engine id, `job_quota`) apply.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import Any

import psutil

from .catalog import ENGINES, RESOURCE_SPECS
from .context import EmulatorContext
from .errors import ApiError, Family
from .fields import Rule, check, query_choice, query_int
from .handler import EmulatorHandler
from .runtime import logs, obs_urls, processes, workers
from .runtime.run_registry import RunRegistry
from .runtime.training_runner import RunPhase, RunUpdate, TrainingRequest
from .runtime.usage import METRICS, UsageSampler
from .runtime.workers import Generation
from .store import Document, now_ms
from .training import executor as v1_executor
from .training import line_page
from .training_spec import (
    CODES,
    DUPLICATE,
    NOT_ALLOWED,
    NOT_FOUND,
    check_obs_location,
    name_rule,
)
from .workspaces import require_workspace

MODULE = "training_v2"
#: The training API generation this module serves (see app.make_app and `plays`).
TRAINING_API = "v2"
JOBS = "training_v2_jobs"
FIRST_TASK = "worker-0"
SHUTDOWN_REASON = "Local ModelArts stopped while this job was running"
#: The preview keeps the end of a log, as the cloud's does.
PREVIEW_BYTES = 5 * 1024 * 1024
#: The longest text an events query may look for.
MAX_EVENT_PATTERN = 256

#: (phase, secondary_phase) of each step of a job's life.
PHASES: dict[str, tuple[str, str]] = {
    "created": ("Creating", "Creating"),
    "preparing": ("Pending", "Queuing"),
    "running": ("Running", "Running"),
    "succeeded": ("Completed", "Completed"),
    "failed": ("Failed", "Failed"),
    "create_failed": ("Failed", "CreateFailed"),
    "terminating": ("Terminating", "Terminating"),
    "terminated": ("Terminated", "Terminated"),
}
TERMINAL_PHASES = frozenset({"Completed", "Failed", "Terminated", "Abnormal"})

JOB_RULES = (
    Rule("kind", choices=("job",)),
    Rule("metadata", dict, required=True),
    name_rule("metadata.name", 64),
    Rule("metadata.description", max_length=256),
    Rule("metadata.workspace_id", min_length=1),
    Rule("algorithm", dict, required=True),
    Rule("algorithm.code_dir", min_length=1),
    Rule("algorithm.boot_file", min_length=1),
    Rule("algorithm.command"),
    Rule("algorithm.engine", dict),
    Rule("algorithm.parameters", list),
    Rule("algorithm.parameters[]", dict),
    Rule("algorithm.parameters[].name", required=True, min_length=1),
    Rule("algorithm.inputs", list),
    Rule("algorithm.inputs[]", dict),
    Rule("algorithm.inputs[].name", required=True, min_length=1),
    Rule("algorithm.inputs[].remote.obs.obs_url", required=True, min_length=1),
    Rule("algorithm.outputs", list),
    Rule("algorithm.outputs[]", dict),
    Rule("algorithm.outputs[].name", required=True, min_length=1),
    Rule("algorithm.outputs[].remote.obs.obs_url", required=True, min_length=1),
    Rule("algorithm.environments", dict),
    Rule("spec", dict, required=True),
    Rule("spec.resource", dict, required=True),
    Rule("spec.resource.flavor_id", min_length=1),
    Rule("spec.resource.node_count", int, minimum=1),
    Rule("spec.resource.pool_id", min_length=1),
    Rule("spec.log_export_path", dict),
    Rule("spec.log_export_path.obs_url", min_length=1),
)
SEARCH_RULES = (
    Rule("offset", int, minimum=0),
    Rule("limit", int, minimum=1, maximum=50),
    Rule("sort_by", choices=("create_time", "name", "duration", "phase")),
    Rule("order", choices=("asc", "desc")),
    Rule("filters", list),
    Rule("filters[]", dict),
    Rule("filters[].key", required=True, min_length=1),
    Rule("filters[].operator", required=True, choices=("between", "like", "in", "not")),
    Rule("filters[].value", list, required=True),
)
ACTION_RULES = (Rule("action_type", required=True, choices=("terminate",)),)
#: `PUT .../training-jobs/{id}`: only the description changes here.
UPDATE_RULES = (Rule("description", required=True, max_length=256),)


# --- catalogs: the v1 specs and engines under v2 names ----------------------------------------


def _flavor(spec: dict[str, Any]) -> dict[str, Any]:
    gpus = int(spec["gpu_num"])
    return {
        "flavor_id": spec["spec_code"],
        "flavor_name": f"{'GPU' if gpus else 'CPU'}: {spec['core']} vCPUs {spec['cpu']}GB",
        "flavor_type": "GPU" if gpus else "CPU",
        "max_num": spec["max_num"],
        "billing": {"code": spec["spec_code"], "unit_num": spec["unit_num"]},
        "flavor_info": {
            "max_num": spec["max_num"],
            "cpu": {"arch": "x86", "core_num": int(spec["core"])},
            "memory": {"size": int(spec["cpu"]), "unit": "GB"},
            **({"gpu": {"unit_num": gpus, "product_name": spec["gpu_type"]}} if gpus else {}),
        },
    }


def _engine(v1: dict[str, Any]) -> dict[str, Any]:
    return {
        "engine_id": f"{v1['engine_name']}-{v1['engine_version']}".lower(),
        "engine_name": v1["engine_name"],
        "engine_version": v1["engine_version"],
        "v1_compatible": True,
        "run_user": "1000",
        "image_info": {"cpu_image_url": "", "gpu_image_url": "", "image_version": ""},
    }


FLAVORS = [_flavor(spec) for spec in RESOURCE_SPECS["train"]]
ENGINES_V2 = [_engine(engine) for engine in ENGINES["train"]]
#: v2 engine id -> v1 engine id (the key of the `engine_pythons` setting).
_V1_ENGINE = {_engine(engine)["engine_id"]: engine["engine_id"] for engine in ENGINES["train"]}


def _find_engine(choice: dict[str, Any]) -> dict[str, Any]:
    if choice.get("engine_id"):
        wanted = str(choice["engine_id"])
        found = next((e for e in ENGINES_V2 if e["engine_id"] == wanted), None)
        field = "algorithm.engine.engine_id"
    else:
        name, version = choice.get("engine_name"), choice.get("engine_version")
        if not (name and version):
            raise ApiError(
                400,
                CODES.missing,
                "Invalid parameter algorithm.engine: engine_id, or engine_name and "
                "engine_version, or image_url is required",
            )
        found = next(
            (e for e in ENGINES_V2 if (e["engine_name"], e["engine_version"]) == (name, version)),
            None,
        )
        wanted, field = f"{name} {version}", "algorithm.engine.engine_name"
    if found is None:
        raise ApiError(400, CODES.invalid, f"Invalid parameter {field}: no engine {wanted}")
    return found


def _find_flavor(flavor_id: str) -> dict[str, Any]:
    found = next((f for f in FLAVORS if f["flavor_id"] == flavor_id), None)
    if found is None:
        raise ApiError(
            400,
            CODES.invalid,
            f"Invalid parameter spec.resource.flavor_id: no flavor {flavor_id}",
        )
    return found


# --- execution ------------------------------------------------------------------------------


class TrainingV2Executor(RunRegistry):
    """Runs v2 jobs and keeps their stored documents current (`ctx.services["training_v2"]`)."""

    def __init__(self, ctx: EmulatorContext) -> None:
        super().__init__()
        self.ctx = ctx
        #: The resource use of each running job, sampled until it ends.
        self._usage: dict[str, UsageSampler] = {}

    def start(self, job: Document) -> None:
        """Run `job` (phase Creating) or fail it at once when it cannot run here."""
        algorithm = job["algorithm"]
        engine = algorithm["engine"]
        if engine.get("image_url"):
            self._finish_early(
                job, "Local ModelArts runs no container images; use code_dir + boot_file"
            )
            return
        if algorithm.get("command"):
            _append_log(job, "command is for custom images: the boot file runs instead")
        inputs, outputs = algorithm["inputs"], algorithm["outputs"]
        train = _channel(outputs, "train_url")
        assert train is not None, "create refuses a job without outputs"
        data = _channel(inputs, "data_url")
        channels = [
            (channel["name"], obs_urls.to_url(channel["remote"]["obs"]["obs_url"]))
            for channel in (*inputs, *outputs)
            if channel is not train and channel is not data
        ]
        parameters = [(p["name"], str(p.get("value", ""))) for p in algorithm["parameters"]]
        request = TrainingRequest(
            marker=job["marker"],
            job_id=job["metadata"]["id"],
            job_name=job["metadata"]["name"],
            app_url=algorithm["code_dir"],
            boot_file_url=algorithm["boot_file"],
            train_url=train["remote"]["obs"]["obs_url"],
            data_url=data["remote"]["obs"]["obs_url"] if data else None,
            log_url=(job["spec"].get("log_export_path") or {}).get("obs_url") or None,
            parameters=parameters + channels,
            python=v1_executor(self.ctx).python_for(_V1_ENGINE[engine["engine_id"]]),
            obs_root=self.ctx.obs.buckets_dir,
            work_dir=Path(job["work_dir"]),
            workers=_nodes(job),
            generation=Generation.V2,
            environment={
                **algorithm["environments"],
            },
        )
        self.launch(job["metadata"]["id"], request, self._on_update)

    def forget(self, job_id: str) -> None:
        super().forget(job_id)
        with self._lock:
            sampler = self._usage.pop(job_id, None)
        if sampler is not None:
            sampler.stop()

    def usage(self, job: Document) -> list[dict[str, list[float]]]:
        """Per task: the job's resource use so far (sampled live while it runs)."""
        with self._lock:
            sampler = self._usage.get(job["metadata"]["id"])
        return sampler.series() if sampler is not None else list(job.get("usage", []))

    def _sample(self, job: Document, pids: tuple[int, ...]) -> None:
        """Start sampling the workers' processes, against the flavor's vCPUs and memory (the
        machine's when the job runs on a pool)."""
        flavor_id = job["spec"]["resource"]["flavor_id"]
        info = _find_flavor(flavor_id)["flavor_info"] if flavor_id else {}
        cores = info.get("cpu", {}).get("core_num") or os.cpu_count() or 1
        memory_gb = info.get("memory", {}).get("size")
        memory = memory_gb * 1024**3 if memory_gb else psutil.virtual_memory().total
        sampler = UsageSampler(pids, float(cores), int(memory))
        with self._lock:
            if job["metadata"]["id"] in self._usage:
                return
            self._usage[job["metadata"]["id"]] = sampler
        sampler.start()

    def recover(self) -> None:
        """After a restart: jobs that were running died with the previous emulator."""
        for job in self.ctx.store.list(JOBS):
            if job["status"]["phase"] in TERMINAL_PHASES:
                continue
            if job.get("pid"):
                processes.kill_orphan(int(job["pid"]), job["marker"])
            _append_log(job, SHUTDOWN_REASON)
            self.save(_moved(job, "failed", SHUTDOWN_REASON))

    def _finish_early(self, job: Document, reason: str) -> None:
        _append_log(job, reason)
        self.save(_moved(job, "create_failed", reason))

    def _on_update(self, job_id: str, update: RunUpdate) -> None:
        store = self.ctx.store
        with store.transaction():
            job = store.get(JOBS, job_id)
            if job is None:  # deleted while running
                return
            phase = job["status"]["phase"]
            if update.phase is RunPhase.PREPARING:
                if phase == "Creating":
                    job = _moved(job, "preparing")
            elif update.phase is RunPhase.RUNNING:
                self._sample(job, update.pids)
                job["pid"] = update.pid
                job["status"]["start_time"] = update.started_at
                if phase != "Terminating":
                    job = _moved(job, "running")
            elif self._shutting_down:
                _append_log(job, SHUTDOWN_REASON)
                job = _moved(job, "failed", SHUTDOWN_REASON, update.ended_at)
            elif update.phase is RunPhase.SUCCEEDED:
                job = _moved(job, "succeeded", "", update.ended_at)
            elif update.phase is RunPhase.STOPPED:
                job = _moved(job, "terminated", "", update.ended_at)
            else:
                step = "failed" if update.started_at else "create_failed"
                job = _moved(job, step, update.reason, update.ended_at, update.exit_code)
            if update.phase.finished:
                job["usage"] = self.usage(job)
            self.save(job)
        if update.phase.finished:
            self.forget(job_id)

    def save(self, job: Document) -> None:
        self.ctx.store.put(JOBS, job["metadata"]["id"], job, name=job["metadata"]["name"])


def _channel(channels: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    """The channel called `name`, else the first one."""
    return next((c for c in channels if c["name"] == name), channels[0] if channels else None)


def _moved(
    job: Document,
    step: str,
    reason: str = "",
    ended_at: int | None = None,
    exit_code: int | None = None,
) -> Document:
    """`job` in the phase of `step`, with an event saying so."""
    phase, secondary = PHASES[step]
    status = {**job["status"], "phase": phase, "secondary_phase": secondary}
    if phase in TERMINAL_PHASES:
        status["end_time"] = ended_at or now_ms()
        status["task_statuses"] = [
            {"task": task, "exit_code": exit_code or 0, "message": reason.split("\n")[0]}
            for task in _tasks(job)
        ]
    message = f"Job {phase.lower()}" + (f": {reason.splitlines()[0]}" if reason else "")
    event = _event(message, "Error" if phase == "Failed" else "Info")
    return {**job, "status": status, "events": [*job.get("events", []), event]}


def _event(message: str, level: str = "Info") -> dict[str, str]:
    """An event of the job's life, as the events API lists it (time in epoch ms)."""
    return {"time": str(now_ms()), "level": level, "message": message, "source": "Job"}


def _nodes(job: Document) -> int:
    return int(job["spec"]["resource"]["node_count"])


def _tasks(job: Document) -> list[str]:
    """One task per node: `worker-0`, `worker-1`..."""
    return [f"{workers.TASK_NAME}-{index}" for index in range(_nodes(job))]


def _log_path(job: Document, index: int = 0) -> Path:
    """Worker `index`'s log, named as the runner writes it (as the cloud exports it)."""
    name = workers.log_name(Generation.V2, job["metadata"]["id"], job["metadata"]["name"], index)
    return Path(job["work_dir"]) / "log" / name


def _append_log(job: Document, message: str) -> None:
    logs.note([_log_path(job)], message)


def executor(ctx: EmulatorContext) -> TrainingV2Executor:
    found: TrainingV2Executor = ctx.services[MODULE]
    return found


async def on_start(ctx: EmulatorContext) -> None:
    ctx.services[MODULE] = TrainingV2Executor(ctx)
    executor(ctx).recover()


async def on_stop(ctx: EmulatorContext) -> None:
    executor(ctx).shutdown()


# --- documents ------------------------------------------------------------------------------

_PRIVATE = ("work_dir", "pid", "marker", "events", "usage")


def public_job(job: Document) -> Document:
    shown = {k: v for k, v in job.items() if k not in _PRIVATE}
    status = dict(shown["status"])
    start = status.get("start_time")
    status["duration"] = (
        max(0, int(status.get("end_time") or now_ms()) - int(start)) if start else 0
    )
    status.pop("end_time", None)
    shown["status"] = status
    return shown


def new_job(ctx: EmulatorContext, body: dict[str, Any]) -> Document:
    job_id = str(uuid.uuid4())
    metadata = body["metadata"]
    algorithm = body["algorithm"]
    engine = algorithm.get("engine") or {}
    resource = body["spec"]["resource"]
    found_engine = {} if engine.get("image_url") else _find_engine(engine)
    return {
        "kind": "job",
        "metadata": {
            "id": job_id,
            "name": metadata["name"],
            "workspace_id": metadata.get("workspace_id") or "0",
            "description": metadata.get("description", ""),
            "create_time": now_ms(),
            "user_name": ctx.config.iam_user,
        },
        "status": {
            "phase": PHASES["created"][0],
            "secondary_phase": PHASES["created"][1],
            "duration": 0,
            "start_time": None,
            "tasks": [
                f"{workers.TASK_NAME}-{index}"
                for index in range(int(resource.get("node_count") or 1))
            ],
            "task_statuses": [],
        },
        "algorithm": {
            "code_dir": algorithm.get("code_dir", ""),
            "boot_file": algorithm.get("boot_file", ""),
            "command": algorithm.get("command", ""),
            "engine": (
                {k: found_engine[k] for k in ("engine_id", "engine_name", "engine_version")}
                if found_engine
                else {"image_url": engine["image_url"]}
            ),
            "parameters": [
                {"name": p["name"], "value": str(p.get("value", ""))}
                for p in algorithm.get("parameters") or []
            ],
            "inputs": [_channel_doc(c, "data") for c in algorithm.get("inputs") or []],
            "outputs": [_channel_doc(c, "output") for c in algorithm.get("outputs") or []],
            "environments": dict(algorithm.get("environments") or {}),
        },
        "spec": {
            "resource": {
                "policy": "regular",
                "flavor_id": resource.get("flavor_id", ""),
                "flavor_name": _find_flavor(resource["flavor_id"])["flavor_name"]
                if resource.get("flavor_id")
                else "",
                "node_count": int(resource.get("node_count") or 1),
                "pool_id": resource.get("pool_id", ""),
            },
            "log_export_path": dict(body["spec"].get("log_export_path") or {}),
        },
        "work_dir": str(ctx.work_dir(MODULE, job_id)),
        "marker": f"training-v2:{job_id}",
        "events": [_event("Job created")],
    }


def _channel_doc(channel: dict[str, Any], local: str) -> dict[str, Any]:
    return {
        "name": channel["name"],
        "local_dir": channel.get("local_dir") or f"/home/ma-user/modelarts/inputs/{local}",
        "remote": {"obs": {"obs_url": channel["remote"]["obs"]["obs_url"]}},
    }


# --- handlers -------------------------------------------------------------------------------


class TrainingV2Handler(EmulatorHandler):
    family = Family.MODELARTS

    @property
    def executor(self) -> TrainingV2Executor:
        return executor(self.ctx)

    def job(self, job_id: str) -> Document:
        job = self.store.get(JOBS, job_id)
        if job is None:
            raise ApiError(404, NOT_FOUND, f"The training job {job_id} does not exist.")
        return job

    def task_log(self, job_id: str, task_id: str) -> Path:
        job = self.job(job_id)
        tasks = _tasks(job)
        if task_id not in tasks:
            raise ApiError(404, NOT_FOUND, f"The task {task_id} of job {job_id} does not exist.")
        return _log_path(job, tasks.index(task_id))


class JobsHandler(TrainingV2Handler):
    def post(self, project_id: str) -> None:
        """Create a job and start it."""
        body = self.json_body()
        check(body, JOB_RULES, CODES)
        self._check_references(body)
        name = body["metadata"]["name"]
        if self.store.find(JOBS, name=name) is not None:
            raise ApiError(409, DUPLICATE, f"The training job name {name} exists.")
        quota = v1_executor(self.ctx).job_quota()
        if self.store.count(JOBS) >= quota:
            raise ApiError(400, "ModelArts.0106", f"At most {quota} training jobs can be created.")
        job = new_job(self.ctx, body)
        self.executor.save(job)
        self.executor.start(job)
        self.send_json(public_job(job), status=201)

    def _check_references(self, body: dict[str, Any]) -> None:
        require_workspace(self.ctx, body["metadata"].get("workspace_id") or "0")
        algorithm = body["algorithm"]
        engine = algorithm.get("engine") or {}
        if not engine.get("image_url"):
            _find_engine(engine)
            for field in ("code_dir", "boot_file"):
                if not algorithm.get(field):
                    raise ApiError(
                        400,
                        CODES.missing,
                        f"Invalid parameter algorithm.{field}: required with a preset engine",
                    )
            code_dir, boot_file = algorithm["code_dir"], algorithm["boot_file"]
            if obs_urls.relative_key(code_dir, boot_file) is None:
                raise ApiError(
                    400,
                    CODES.invalid,
                    "Invalid parameter algorithm.boot_file: must be a file inside code_dir",
                )
            check_obs_location(self.ctx, code_dir, "algorithm.code_dir")
        if not algorithm.get("outputs"):
            raise ApiError(
                400,
                CODES.missing,
                "Invalid parameter algorithm.outputs: Local ModelArts needs an output folder "
                "for the job to write to",
            )
        for kind in ("inputs", "outputs"):
            for index, channel in enumerate(algorithm.get(kind) or []):
                url = channel["remote"]["obs"]["obs_url"]
                check_obs_location(self.ctx, url, f"algorithm.{kind}[{index}].remote.obs.obs_url")
        resource = body["spec"]["resource"]
        if not resource.get("flavor_id"):
            raise ApiError(
                400,
                CODES.missing,
                "Invalid parameter spec.resource.flavor_id: required (Local ModelArts has no "
                "dedicated pools)",
            )
        flavor = _find_flavor(resource["flavor_id"])
        nodes = int(resource.get("node_count") or 1)
        if nodes > flavor["max_num"]:
            raise ApiError(
                400,
                CODES.invalid,
                f"Invalid parameter spec.resource.node_count: at most {flavor['max_num']} for "
                f"flavor {flavor['flavor_id']}",
            )
        log_path = (body["spec"].get("log_export_path") or {}).get("obs_url")
        if log_path:
            check_obs_location(self.ctx, log_path, "spec.log_export_path.obs_url")


class SearchHandler(TrainingV2Handler):
    def post(self, project_id: str) -> None:
        """Jobs matching `filters`, sorted, from `offset` (a count of jobs) up to `limit`."""
        body = self.json_body() if self.request.body else {}
        check(body, SEARCH_RULES, CODES)
        workspace_id = body.get("workspace_id") or "0"
        jobs = [
            public_job(job)
            for job in self.store.list(JOBS)
            if job["metadata"]["workspace_id"] == workspace_id
            and all(_matches(job, f) for f in body.get("filters") or [])
        ]
        sort_by = body.get("sort_by") or "create_time"
        jobs.sort(key=lambda job: _sort_key(job, sort_by), reverse=body.get("order") != "asc")
        offset, limit = int(body.get("offset") or 0), int(body.get("limit") or 10)
        self.send_json(
            {
                "total": len(jobs),
                "count": len(jobs[offset : offset + limit]),
                "limit": limit,
                "offset": offset,
                "sort_by": sort_by,
                "order": body.get("order") or "desc",
                "workspace_id": workspace_id,
                "items": jobs[offset : offset + limit],
            }
        )


def _field(job: Document, key: str) -> str:
    if key in ("phase", "secondary_phase"):
        return str(job["status"][key])
    return str(job["metadata"].get(key, ""))


def _matches(job: Document, search: dict[str, Any]) -> bool:
    value = _field(job, search["key"])
    wanted = [str(v) for v in search["value"]]
    operator = search["operator"]
    if operator == "like":
        return any(w.lower() in value.lower() for w in wanted)
    if operator == "in":
        return value in wanted
    if operator == "not":
        return value not in wanted
    low, high = [*wanted, "", ""][:2]
    return (not low or value >= low) and (not high or value <= high)


def _sort_key(job: Document, sort_by: str) -> Any:
    if sort_by == "create_time":
        return job["metadata"]["create_time"]
    if sort_by == "duration":
        return job["status"]["duration"]
    return _field(job, sort_by)


class JobHandler(TrainingV2Handler):
    def get(self, project_id: str, job_id: str) -> None:
        self.send_json(public_job(self.job(job_id)))

    def put(self, project_id: str, job_id: str) -> None:
        """Change the job's description, in any phase."""
        body = self.json_body()
        check(body, UPDATE_RULES, CODES)
        with self.store.transaction():
            job = self.job(job_id)
            job["metadata"]["description"] = body["description"]
            self.executor.save(job)
        self.set_status(204)
        self.finish()

    def delete(self, project_id: str, job_id: str) -> None:
        """Delete the job (a running one is stopped first)."""
        self.job(job_id)
        self.executor.stop(job_id)
        self.executor.forget(job_id)
        self.store.delete(JOBS, job_id)
        shutil.rmtree(self.ctx.work_dir(MODULE, job_id), ignore_errors=True)
        self.set_status(202)
        self.finish()


class ActionHandler(TrainingV2Handler):
    def post(self, project_id: str, job_id: str) -> None:
        """`terminate`: Terminating now, Terminated once the process group is gone."""
        body = self.json_body()
        check(body, ACTION_RULES, CODES)
        with self.store.transaction():
            job = self.job(job_id)
            phase = job["status"]["phase"]
            if phase in TERMINAL_PHASES or phase == "Terminating":
                raise ApiError(
                    409, NOT_ALLOWED, f"The job can't be terminated in the phase {phase}."
                )
            job = _moved(job, "terminating")
            self.executor.save(job)
        if not self.executor.stop(job_id):
            self.executor.save(_moved(job, "terminated"))
        self.send_json(public_job(self.job(job_id)), status=202)


class TasksHandler(TrainingV2Handler):
    def get(self, project_id: str, job_id: str) -> None:
        """One task per node, every one on this machine."""
        tasks = _tasks(self.job(job_id))
        self.send_json(
            [{"task": task, "ip": "127.0.0.1", "host_ip": "127.0.0.1"} for task in tasks]
        )


class LogPreviewHandler(TrainingV2Handler):
    def get(self, project_id: str, job_id: str, task_id: str) -> None:
        path = self.task_log(job_id, task_id)
        size = path.stat().st_size if path.exists() else 0
        content = ""
        if size:
            with path.open("rb") as log:
                log.seek(max(0, size - PREVIEW_BYTES))
                content = log.read().decode("utf-8", errors="replace")
        self.send_json({"content": content, "current_size": len(content), "full_size": size})


class LogLinesHandler(TrainingV2Handler):
    def get(self, project_id: str, job_id: str, task_id: str) -> None:
        self.send_json(line_page(self, self.task_log(job_id, task_id), fewest_lines=1))


class EventsHandler(TrainingV2Handler):
    def get(self, project_id: str, job_id: str) -> None:
        level = query_choice(
            self.get_query_argument("level", None),
            "level",
            CODES,
            ("Info", "Warning", "Error"),
            default=None,
        )
        pattern = self.get_query_argument("pattern", None) or ""
        if len(pattern) > MAX_EVENT_PATTERN:
            raise ApiError(
                400,
                CODES.invalid,
                f"Invalid parameter pattern: at most {MAX_EVENT_PATTERN} characters",
            )
        events = [
            event
            for event in self.job(job_id).get("events", [])
            if (level is None or event["level"] == level) and pattern in event["message"]
        ]
        offset = query_int(
            self.get_query_argument("offset", None), "offset", CODES, default=0, minimum=0
        )
        limit = query_int(
            self.get_query_argument("limit", None),
            "limit",
            CODES,
            default=50,
            minimum=1,
            maximum=100,
        )
        order = query_choice(
            self.get_query_argument("order", None), "order", CODES, ("asc", "desc"), default="asc"
        )
        if order == "desc":
            events.reverse()
        self.send_json(
            {
                "total": len(events),
                "limit": limit,
                "offset": offset,
                "order": order,
                "events": events[offset : offset + limit],
            }
        )


class MetricsHandler(TrainingV2Handler):
    def get(self, project_id: str, job_id: str, task_id: str) -> None:
        """The task's CPU and memory use, sampled from its process (no GPU or NPU here)."""
        job = self.job(job_id)
        self.task_log(job_id, task_id)
        usage = self.executor.usage(job)
        index = _tasks(job).index(task_id)
        series = usage[index] if index < len(usage) else {}
        self.send_json(
            {"metrics": [{"metric": name, "value": series.get(name, [])} for name in METRICS]}
        )


class FlavorsHandler(TrainingV2Handler):
    def get(self, project_id: str) -> None:
        wanted = query_choice(
            self.get_query_argument("flavor_type", None),
            "flavor_type",
            CODES,
            ("CPU", "GPU", "Ascend"),
            default=None,
        )
        flavors = [f for f in FLAVORS if wanted is None or f["flavor_type"] == wanted]
        self.send_json({"total_count": len(flavors), "flavors": flavors})


class EnginesHandler(TrainingV2Handler):
    def get(self, project_id: str) -> None:
        self.send_json({"total": len(ENGINES_V2), "items": ENGINES_V2})


V2 = r"/v2/(?P<project_id>[^/]+)"
JOB = V2 + r"/training-jobs/(?P<job_id>[^/]+)"
TASK = JOB + r"/tasks/(?P<task_id>[^/]+)"

ROUTES = [
    (V2 + r"/training-jobs/?", JobsHandler),
    (V2 + r"/training-job-searches/?", SearchHandler),
    (V2 + r"/training-job-flavors/?", FlavorsHandler),
    (V2 + r"/training-job-engines/?", EnginesHandler),
    (JOB + r"/?", JobHandler),
    (JOB + r"/actions/?", ActionHandler),
    (JOB + r"/tasks/?", TasksHandler),
    (TASK + r"/logs/preview/?", LogPreviewHandler),
    (JOB + r"/logs/(?P<task_id>[^/]+)/?", LogLinesHandler),
    (JOB + r"/events/?", EventsHandler),
    (JOB + r"/metrics/(?P<task_id>[^/]+)/?", MetricsHandler),
]
