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

import functools
import re
from collections.abc import Awaitable
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from ..cloud.errors import ValidationError
from ..cloud.modelarts import ModelArts
from ..cloud.schemas.training import LineLog
from ..cloud.schemas.training_v2 import EventsQuery, Phase, TrainingJobV2
from . import training
from .accounts import Accounts, field_error
from .errors import OperationError, invalid_id
from .tasks import OperationRecord, Operations
from .training import LOG_BATCH, LaunchPlan, LaunchRequest, LogQuery, TrainingPlaces
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
        raise invalid_id("job_id", "not_a_job_id", "is not a training job id")
    return text


def _version(version_id: int) -> None:
    if version_id != VERSION_ID:
        raise OperationError(
            "NO_SUCH_VERSION",
            f"a v2 training job has one version, {VERSION_ID}",
            status=404,
            field="version_id",
            params={"version": VERSION_ID},
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
        raise not_offered("new_version_launch", field="job_id")
    if request.save_config is not None:
        raise not_offered("configs_save", field="save_config")
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
        raise OperationError(
            "UNKNOWN_SPEC",
            f"unknown resource flavor {flavor_id}",
            field="spec_id",
            params={"spec_id": flavor_id},
        )
    if flavor.max_num is not None and nodes > flavor.max_num:
        raise OperationError(
            "TOO_MANY_WORKERS",
            f"this flavor allows at most {flavor.max_num} nodes",
            field="worker_server_num",
            params={"max_num": flavor.max_num},
        )
    engines = {e.engine_id for e in (await client.training_v2.engines()).items}
    if engine_id not in engines:
        raise OperationError(
            "UNKNOWN_ENGINE",
            f"unknown AI engine {engine_id}",
            field="engine_id",
            params={"engine_id": engine_id},
        )


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
    return training.generation_jobs_watcher(
        accounts,
        watchers,
        lambda client, workspace_id: client.training_v2.iterate(workspace_id=workspace_id),
        lambda job: job_view(TrainingJobV2.model_validate(job.model_dump())),
    )


async def list_jobs(accounts: Accounts, watchers: Watchers, max_age: float) -> list[dict[str, Any]]:
    return await training.newest_first(jobs_watcher(accounts, watchers), max_age)


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
    description = training.description_of(body)
    client = await accounts.modelarts()
    try:
        await client.training_v2.change_description(job_id, description)
    except ValidationError as error:  # the v2 API's "description" is this API's "job_desc"
        raise OperationError.from_cloud(error, field="job_desc") from None
    jobs_watcher(accounts, watchers).poke()


async def list_events(accounts: Accounts, job_id: str, query: dict[str, Any]) -> dict[str, Any]:
    """A page of the job's events (``query``: offset, limit, order, level, pattern) and its
    status, so that a live view knows when nothing more will come."""
    client = await accounts.modelarts()
    page = await client.training_v2.events(job_id, EventsQuery.parse(query))
    job = await client.training_v2.get(job_id)
    return {
        "total": page.total,
        "events": [event.model_dump(mode="json") for event in page.events],
        **status_fields(job),
    }


async def show_metrics(accounts: Accounts, job_id: str, worker: str | None) -> dict[str, Any]:
    """One task's resource use, one value a minute per metric (``worker``: the task's index,
    the first by default)."""
    client = await accounts.modelarts()
    job = await client.training_v2.get(job_id)
    tasks = job.status.tasks or [LOG_TASK]
    task = _task(tasks, worker)
    found = await client.training_v2.metrics(job_id, task)
    return {
        "task": task,
        "tasks": tasks,
        "metrics": [metric.model_dump(mode="json") for metric in found.metrics],
        **status_fields(job),
    }


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
            params={"status": (job.status.phase or "unknown").lower()},
        )
    await client.training_v2.terminate(job_id)
    jobs_watcher(accounts, watchers).poke()
    return version_view(await client.training_v2.get(job_id))


async def new_version(
    accounts: Accounts, watchers: Watchers, job_id: str, body: dict[str, Any]
) -> dict[str, Any]:
    raise not_offered("new_version")


async def read_log(
    accounts: Accounts, job_id: str, version_id: int, query: LogQuery
) -> dict[str, Any]:
    """A chunk of a task's log by lines (``log_file`` names the task, or ``worker`` its index;
    default ``worker-0``)."""
    _version(version_id)
    if query.api == "bytes":
        raise not_offered("log_offsets", field="api")
    client = await accounts.modelarts()
    job = await client.training_v2.get(job_id)
    tasks = job.status.tasks or [LOG_TASK]
    task = query.log_file or _task(tasks, query.worker)
    chunk: dict[str, Any] = {"log_files": tasks, "log_file": task, **status_fields(job)}
    read = functools.partial(client.training_v2.log_lines, job_id, task)
    return await training.read_lines(read, chunk, query)


async def full_log(
    accounts: Accounts, job_id: str, version_id: int, worker: str | None = None
) -> tuple[str, str]:
    """(file name, the whole log of one task: the first unless ``worker`` names another)."""
    _version(version_id)
    client = await accounts.modelarts()
    job = await client.training_v2.get(job_id)
    task = _task(job.status.tasks or [LOG_TASK], worker)

    def read(base_line: str) -> Awaitable[LineLog]:
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
        raise not_offered("all_task_logs", field="worker")
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
    raise _configs_not_offered()


async def update_config(
    accounts: Accounts, config_name: str, body: dict[str, Any]
) -> dict[str, Any]:
    raise _configs_not_offered()


async def delete_config(accounts: Accounts, config_name: str) -> None:
    raise _configs_not_offered()


def _configs_not_offered() -> OperationError:
    return not_offered("configs")
