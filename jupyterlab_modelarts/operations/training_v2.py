"""Training on an account whose training API is v2 (Huawei Cloud since v1 went offline): the
same functions as training.py, so that handlers and magics reach either through
training_api.for_account.

A v2 job has no versions: it is shown as a job with one version (id ``1``) so that the jobs
list, the log viewer, outputs, stop, delete and "import as model" work on it unchanged. Its
``status_name`` is its ``status.phase`` in lower case (``completed``, ``running``...). What only
the v1 API has (new versions, training job configurations, the byte-offset log) is refused in
words before anything is sent.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable
from typing import Any, Literal

from pydantic import ValidationError as PydanticValidationError

from ..cloud.modelarts import ModelArts
from ..cloud.schemas.training_v2 import LogLines, Phase, TrainingJobV2
from . import training
from .accounts import Accounts, field_error
from .errors import OperationError
from .listings import workspace_watcher
from .tasks import OperationRecord, Operations
from .training import LOG_BATCH, LaunchPlan, LaunchRequest, TrainingPlaces
from .training_api import not_offered
from .watch import ResourceWatcher, Watchers

#: The one "version" a v2 job is shown with.
VERSION_ID = 1
LOG_TASK = "worker-0"
_JOB_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")

PHASE_MEANINGS: dict[Phase, str] = {
    Phase.CREATING: "The job is being created.",
    Phase.PENDING: "The job is queuing for resources.",
    Phase.RUNNING: "The job is running.",
    Phase.FAILED: "The job failed.",
    Phase.COMPLETED: "The job has been completed.",
    Phase.TERMINATING: "The job is being stopped.",
    Phase.TERMINATED: "The job was stopped.",
    Phase.ABNORMAL: "The job is abnormal.",
}
STOPPABLE = frozenset({Phase.CREATING, Phase.PENDING, Phase.RUNNING})


def parse_job_id(text: str) -> str:
    if not _JOB_ID.match(text):
        raise OperationError("INVALID", "is not a training job id", field="job_id")
    return text


def _version(version_id: int) -> None:
    if version_id != VERSION_ID:
        raise OperationError(
            "NOT_FOUND",
            f"a v2 training job has one version, {VERSION_ID}",
            status=404,
            field="version_id",
        )


# --- views ---------------------------------------------------------------------------------


def status_fields(job: TrainingJobV2) -> dict[str, Any]:
    phase = job.status.job_phase
    return {
        "status": job.status.phase,
        "secondary_phase": job.status.secondary_phase,
        "status_name": (job.status.phase or "unknown").lower(),
        "status_meaning": PHASE_MEANINGS.get(phase, "Unknown status.") if phase else "",
        "terminal": job.status.terminal,
        "stoppable": phase in STOPPABLE,
    }


def job_view(job: TrainingJobV2) -> dict[str, Any]:
    """A v2 job as a row of the jobs list (the v1 shape: one version)."""
    return {
        "job_id": job.id,
        "job_name": job.name,
        "version_id": VERSION_ID,
        "create_time": job.metadata.create_time,
        "duration": job.status.duration,
        "job_desc": job.metadata.description,
        "version_count": 1,
        "training_api": "v2",
        **status_fields(job),
    }


def _output_url(job: TrainingJobV2) -> str | None:
    outputs = job.algorithm.outputs
    chosen = next((o for o in outputs if o.name == "train_url"), outputs[0] if outputs else None)
    return chosen.obs_url if chosen else None


def version_view(job: TrainingJobV2) -> dict[str, Any]:
    """A v2 job as the one version of itself (the v1 TrainingJobVersion's fields)."""
    engine = job.algorithm.engine
    inputs = job.algorithm.inputs
    return {
        "version_id": VERSION_ID,
        "job_id": job.id,
        "job_name": job.name,
        "version_name": "V0001",
        "spec_id": job.spec.flavor_id,
        "spec_code": job.spec.flavor_id,
        "engine_name": engine.get("engine_name"),
        "engine_version": engine.get("engine_version"),
        "worker_server_num": job.spec.node_count,
        "app_url": job.algorithm.code_dir,
        "boot_file_url": job.algorithm.boot_file,
        "data_url": inputs[0].obs_url if inputs else None,
        "train_url": _output_url(job),
        "log_url": job.spec.log_export_path.get("obs_url"),
        "parameter": [
            {"label": p.get("name"), "value": p.get("value", "")} for p in job.algorithm.parameters
        ],
        "duration": job.status.duration,
        "create_time": job.metadata.create_time,
        "training_api": "v2",
        **status_fields(job),
    }


# --- the launch ----------------------------------------------------------------------------


class LaunchRequestV2(LaunchRequest):
    """The dialog's request on a v2 account: a flavor id and an engine id are names."""

    spec_id: str  # type: ignore[assignment]
    engine_id: str  # type: ignore[assignment]


def parse_launch(body: dict[str, Any]) -> LaunchRequest:
    try:
        request = LaunchRequestV2.model_validate(body)
    except PydanticValidationError as error:
        raise field_error(error) from None
    if request.job_id is not None:
        raise not_offered(
            "New versions of a job", "train a new job under another name", field="job_id"
        )
    if request.save_config is not None:
        raise not_offered(
            "Training job configurations", "leave the configuration name empty", "save_config"
        )
    return request


class _V2Jobs:
    async def check(self, accounts: Accounts, request: LaunchRequest) -> training.Checked:
        client = await accounts.modelarts()
        await check_resources(
            client, str(request.spec_id), str(request.engine_id), request.worker_server_num
        )
        if await self.find(client, request.job_name, accounts.workspace_id(accounts.active())):
            raise training.name_taken("pick another name")
        return training.Checked()

    async def create(
        self, client: ModelArts, plan: LaunchPlan, workspace_id: str
    ) -> dict[str, Any]:
        request = plan.request
        created = await client.training_v2.create(
            metadata={
                "name": request.job_name,
                "description": request.job_desc,
                "workspace_id": workspace_id,
            },
            algorithm={
                "code_dir": plan.code_url,
                "boot_file": plan.code_url + plan.boot_relative,
                "engine": {"engine_id": str(request.engine_id)},
                "parameters": [{"name": p.label, "value": p.value} for p in request.parameters],
                "inputs": [{"name": "data_url", "remote": {"obs": {"obs_url": plan.data_url}}}],
                "outputs": [{"name": "train_url", "remote": {"obs": {"obs_url": plan.train_url}}}],
            },
            spec={
                "resource": {
                    "flavor_id": str(request.spec_id),
                    "node_count": request.worker_server_num,
                },
                "log_export_path": {"obs_url": plan.log_url},
            },
        )
        return {"job_id": created.id, "version_id": VERSION_ID}

    async def find(self, client: ModelArts, job_name: str, workspace_id: str) -> str | None:
        found = await client.training_v2.find(job_name)
        return found.id if found is not None else None

    def watcher(self, accounts: Accounts, watchers: Watchers) -> ResourceWatcher:
        return jobs_watcher(accounts, watchers)


V2_JOBS = _V2Jobs()


async def check_resources(client: ModelArts, flavor_id: str, engine_id: str, nodes: int) -> None:
    """Flavor, engine and node count as the v2 flavors and engines allow them."""
    flavors = {f.flavor_id: f for f in (await client.training_v2.flavors()).flavors}
    flavor = flavors.get(flavor_id)
    if flavor is None:
        raise OperationError("INVALID", f"unknown resource flavor {flavor_id}", field="spec_id")
    if flavor.max_num is not None and nodes > flavor.max_num:
        raise OperationError(
            "INVALID",
            f"this flavor allows at most {flavor.max_num} nodes",
            field="worker_server_num",
        )
    engines = {e.engine_id for e in (await client.training_v2.engines()).items}
    if engine_id not in engines:
        raise OperationError("INVALID", f"unknown AI engine {engine_id}", field="engine_id")


async def prefill(accounts: Accounts, places: TrainingPlaces, path: str) -> dict[str, Any]:
    """What the dialog shows first; a free job name is looked up among the v2 jobs."""
    return await training.prefill(accounts, places, path, V2_JOBS)


async def train_from_file(
    accounts: Accounts,
    operations: Operations,
    watchers: Watchers,
    places: TrainingPlaces,
    body: dict[str, Any],
) -> OperationRecord:
    plan = await training.plan_launch(accounts, places, parse_launch(body), V2_JOBS)
    return training.start_launch(accounts, operations, watchers, places, plan, backend=V2_JOBS)


async def retry_launch(
    accounts: Accounts,
    operations: Operations,
    watchers: Watchers,
    places: TrainingPlaces,
    operation_id: str,
) -> OperationRecord:
    return await training.retry_launch(
        accounts, operations, watchers, places, operation_id, V2_JOBS, parse_launch
    )


# --- jobs, logs, outputs -------------------------------------------------------------------


def jobs_watcher(accounts: Accounts, watchers: Watchers) -> ResourceWatcher:
    """The active profile's v2 training jobs, under the same kind as v1's, so that the
    Training section and its notifications follow them alike."""
    return workspace_watcher(
        accounts,
        watchers,
        kind=training.KIND,
        listing=lambda client, workspace_id: client.training_v2.iterate(workspace_id=workspace_id),
        is_transitional=lambda item: not item["terminal"],
        key="job_id",
        view=lambda job: job_view(TrainingJobV2.model_validate(job.model_dump())),
    )


async def list_jobs(accounts: Accounts, watchers: Watchers, max_age: float) -> list[dict[str, Any]]:
    jobs = await jobs_watcher(accounts, watchers).snapshot(max_age)
    return sorted(jobs, key=lambda job: job.get("create_time") or 0, reverse=True)


async def job_versions(accounts: Accounts, job_id: str) -> dict[str, Any]:
    client = await accounts.modelarts()
    job = await client.training_v2.get(job_id)
    return {
        "job_id": job.id,
        "job_name": job.name,
        "job_desc": job.metadata.description,
        "version_count": 1,
        "versions": [version_view(job)],
    }


async def version_detail(accounts: Accounts, job_id: str, version_id: int) -> dict[str, Any]:
    _version(version_id)
    client = await accounts.modelarts()
    job = await client.training_v2.get(job_id)
    detail = version_view(job)
    detail["failure_reason"] = (
        await failure_reason(client, job) if job.status.job_phase is Phase.FAILED else None
    )
    return detail


async def failure_reason(client: ModelArts, job: TrainingJobV2) -> str | None:
    """The reason the job's first task reported, else the last error line of its log."""
    for task in job.status.task_statuses:
        if task.get("message"):
            return str(task["message"])
    tail = await client.training_v2.log_lines(job.id, LOG_TASK, lines=100)
    return training.last_error_line(tail.content)


async def update_description(
    accounts: Accounts, watchers: Watchers, job_id: str, body: dict[str, Any]
) -> None:
    raise not_offered("Description changes", "the description is set when the job is created")


async def delete_job(accounts: Accounts, watchers: Watchers, job_id: str) -> None:
    client = await accounts.modelarts()
    await client.training_v2.delete(job_id)
    jobs_watcher(accounts, watchers).poke()


async def delete_version(
    accounts: Accounts, watchers: Watchers, job_id: str, version_id: int
) -> None:
    _version(version_id)
    await delete_job(accounts, watchers, job_id)


async def stop_version(
    accounts: Accounts, watchers: Watchers, job_id: str, version_id: int
) -> dict[str, Any]:
    _version(version_id)
    client = await accounts.modelarts()
    job = await client.training_v2.get(job_id)
    if job.status.job_phase not in STOPPABLE:
        raise OperationError(
            "NOT_STOPPABLE",
            f"the job is {(job.status.phase or 'unknown').lower()}: only a queued or running "
            "job can be stopped",
            status=409,
        )
    await client.training_v2.terminate(job_id)
    jobs_watcher(accounts, watchers).poke()
    return version_view(await client.training_v2.get(job_id))


async def new_version(
    accounts: Accounts, watchers: Watchers, job_id: str, body: dict[str, Any]
) -> dict[str, Any]:
    raise not_offered("New versions of a job", "train a new job from the file instead")


async def read_log(
    accounts: Accounts,
    job_id: str,
    version_id: int,
    *,
    api: Literal["lines", "bytes"] = "lines",
    log_file: str | None = None,
    worker: str | None = None,
    base_line: str | None = None,
    lines: int = LOG_BATCH,
    start_byte: int | None = None,
) -> dict[str, Any]:
    """A chunk of a task's log by lines (``log_file`` names the task, or ``worker`` its index;
    default ``worker-0``)."""
    _version(version_id)
    if api == "bytes":
        raise not_offered("Logs by byte offset", "read the log by lines", field="api")
    client = await accounts.modelarts()
    job = await client.training_v2.get(job_id)
    tasks = job.status.tasks or [LOG_TASK]
    task = log_file or _task(tasks, worker)
    chunk: dict[str, Any] = {"log_files": tasks, "log_file": task, **status_fields(job)}
    if base_line is None:
        part = await client.training_v2.log_lines(job_id, task, lines=lines)
    else:
        part = await client.training_v2.log_lines(
            job_id, task, base_line=base_line, lines=lines, order="desc"
        )
    return training.line_chunk(chunk, part, base_line)


async def full_log(
    accounts: Accounts, job_id: str, version_id: int, worker: str | None = None
) -> tuple[str, str]:
    """(file name, the whole log of one task: the first unless ``worker`` names another)."""
    _version(version_id)
    client = await accounts.modelarts()
    job = await client.training_v2.get(job_id)
    task = _task(job.status.tasks or [LOG_TASK], worker)

    def read(base_line: str) -> Awaitable[LogLines]:
        return client.training_v2.log_lines(
            job_id, task, base_line=base_line, lines=LOG_BATCH, order="desc"
        )

    return f"modelarts-job-{job.id}-{task}", await training.whole_log(read)


def _task(tasks: list[str], worker: str | None) -> str:
    """The task of worker index ``worker`` (the first when none); every task's log in one
    view is a v1 reading, offered here only for a job of one task."""
    if worker is None or (worker == training.ALL_WORKERS and len(tasks) == 1):
        return tasks[0]
    if worker == training.ALL_WORKERS:
        raise not_offered("Every task's log in one view", "pick one task", field="worker")
    return training.worker_log(tasks, worker)


async def list_output(
    accounts: Accounts, places: TrainingPlaces, job_id: str, version_id: int
) -> dict[str, Any]:
    """The files the job wrote to its output folder."""
    _version(version_id)
    client = await accounts.modelarts()
    train_url = _output_url(await client.training_v2.get(job_id))
    if not train_url:
        return {"train_url": None, "files": []}
    return await training.output_files(accounts, train_url)


async def list_configs(accounts: Accounts) -> list[dict[str, Any]]:
    """Configurations are a v1 feature: a v2 account has none to offer."""
    return []


async def get_config(accounts: Accounts, config_name: str) -> dict[str, Any]:
    raise not_offered("Training job configurations", "fill in the dialog's fields")
