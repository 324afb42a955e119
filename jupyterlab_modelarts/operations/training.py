"""Training from a file on this server, and everything done to training jobs afterwards.

``train_from_file`` checks the request (paths confined to the server root, name, spec, engine,
worker count, folders of its own job and version) before anything is sent, then runs as a long
operation: prepare the code folder (a notebook becomes a script), upload it to OBS (resumable,
unchanged files skipped), upload a local data folder, create the job (or a new version of an
existing job) and optionally save the settings as a training job configuration. Where the files
go on OBS is in ``training_folders``.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import re
import shutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic import ValidationError as PydanticValidationError

from ..cloud.errors import CloudError, NotFoundError
from ..cloud.field_errors import RuleError
from ..cloud.log_follow import LineChunk
from ..cloud.modelarts import ModelArts
from ..cloud.obs import Progress, split_obs_url
from ..cloud.schemas.rules import Description256, Name20, Name64, check_obs_folder
from ..cloud.schemas.training import TERMINAL_JOB_STATUSES, JobStatus, TrainingJobVersion
from ..whole_numbers import parse_whole_number
from . import code_folder, storage, training_folders
from .accounts import Accounts, field_error
from .errors import OperationError, not_a_whole_number, not_of_kind
from .listings import Listing, workspace_watcher
from .messages import message, uploaded
from .paths import confine
from .tasks import OperationProgress, OperationRecord, Operations
from .training_api import only_in_v2
from .watch import ResourceWatcher, Watchers

KIND = "training_jobs"
LAUNCH = "training_launch"
LOG_BATCH = 500

#: 004 §5.5, Table 5-116: the word shown for each numeric status and what it means.
STATUS_MEANINGS: dict[JobStatus, str] = {
    JobStatus.UNKNOWN: "Unknown status.",
    JobStatus.INIT: "The job is being initialized.",
    JobStatus.IMAGE_CREATING: "The job image is being created.",
    JobStatus.IMAGE_FAILED: "Failed to create the job image.",
    JobStatus.SUBMIT_TRYING: "The job is being submitted.",
    JobStatus.SUBMIT_FAILED: "Failed to submit the job.",
    JobStatus.DELETE_FAILED: "Failed to delete the job.",
    JobStatus.WAITING: "The job is queuing.",
    JobStatus.RUNNING: "The job is running.",
    JobStatus.KILLING: "The job is being canceled.",
    JobStatus.COMPLETED: "The job has been completed.",
    JobStatus.FAILED: "Failed to run the job.",
    JobStatus.KILLED: "Job canceled successfully.",
    JobStatus.CANCELED: "Job canceled.",
    JobStatus.LOST: "Job lost.",
    JobStatus.SCALING: "The job is being scaled.",
    JobStatus.SUBMIT_MODEL_FAILED: "Failed to submit the model.",
    JobStatus.DEPLOY_SERVICE_FAILED: "Failed to deploy the service.",
    JobStatus.CHECK_INIT: "The job review is being initialized.",
    JobStatus.CHECK_RUNNING: "The job is being reviewed.",
    JobStatus.CHECK_RUNNING_COMPLETED: "The approval job is completed.",
    JobStatus.CHECK_FAILED: "Failed to review the job.",
}
#: Statuses a version can be stopped in (TJ-7).
STOPPABLE = frozenset(
    {
        JobStatus.INIT,
        JobStatus.IMAGE_CREATING,
        JobStatus.SUBMIT_TRYING,
        JobStatus.WAITING,
        JobStatus.RUNNING,
        JobStatus.SCALING,
    }
)
_ERROR_LINE = re.compile(r"^\w+(\.\w+)*(Error|Exception|Exit|Interrupt)\b.*")


def status_fields(code: int | None) -> dict[str, Any]:
    """``status_name`` (the word), ``status_meaning`` (the document's text), ``terminal``."""
    try:
        status = JobStatus(code or 0)
    except ValueError:
        status = JobStatus.UNKNOWN
    return {
        "status": int(code or 0),
        "status_name": status.name.lower(),
        "status_meaning": STATUS_MEANINGS[status],
        "terminal": status in TERMINAL_JOB_STATUSES,
        "stoppable": status in STOPPABLE,
    }


def _view(model: BaseModel) -> dict[str, Any]:
    data = model.model_dump(mode="json")
    return {**data, **status_fields(data.get("status"))}


# --- where things go ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingPlaces:
    """Server-side settings of the flow: the Jupyter root that browser paths are relative to,
    the extension's OBS folder template (``obs_folder``: jobs go under its ``training/``), and
    where code folders are staged for upload."""

    root_dir: Path
    obs_folder: str
    staging_dir: Path


async def obs_folder_for(accounts: Accounts, places: TrainingPlaces) -> str:
    """The folder jobs go under by default, e.g. ``obs://jupyterlab-modelarts-<project>/training/``."""
    profile = accounts.active()
    client = await accounts.modelarts(profile)
    root = places.obs_folder.format(project_id=await client.project_id(), region=profile.region)
    return root.rstrip("/") + "/training/"


# --- the launch request ------------------------------------------------------------------------


class RunParameter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    value: str = ""
    #: The argparse help the prefill found; shown, never sent.
    help: str | None = Field(default=None, exclude=True)

    @field_validator("value", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return value if isinstance(value, str) else str(value)


class DataInput(BaseModel):
    """Exactly one: an OBS folder the job reads, or a folder on this server that is uploaded."""

    model_config = ConfigDict(extra="forbid")

    obs_url: str | None = None
    local_path: str | None = None

    @model_validator(mode="after")
    def _one(self) -> DataInput:
        if bool(self.obs_url) == bool(self.local_path):
            raise RuleError(
                "give either obs_url or local_path",
                "GIVE_ONE_OF",
                {"fields": ["obs_url", "local_path"]},
            )
        if self.obs_url:
            check_obs_folder(self.obs_url)
        return self


def _obs_folder(value: str | None) -> str | None:
    return check_obs_folder(value) if value else value


class LaunchRequest(BaseModel):
    """What the "Train on ModelArts" dialog (or ``%modelarts train``) submits."""

    model_config = ConfigDict(extra="forbid")

    path: str = Field(min_length=1)
    job_name: Name64
    job_desc: Description256 | None = None
    code_folder: str | None = None
    boot_file: str | None = None
    data: DataInput | None = None
    obs_folder: str | None = None
    train_url: str | None = None
    log_url: str | None = None
    spec_id: int
    engine_id: int
    worker_server_num: int = Field(default=1, ge=1)
    #: Also upload hidden files and folders of the code and data folders (left out by default).
    include_hidden: bool = False
    parameters: list[RunParameter] = Field(default_factory=list)
    #: Make a new version of this job instead of a new job.
    job_id: int | None = None
    #: Also save the settings as a training job configuration of this name.
    save_config: Name20 | None = None

    _check_folders = field_validator("obs_folder", "train_url", "log_url")(_obs_folder)


@dataclass(frozen=True)
class LaunchPlan:
    """A checked request with every location decided."""

    request: LaunchRequest
    file: Path
    folder: Path
    boot_relative: str
    #: Where the script made from the notebook goes in the code folder (None: not a notebook).
    notebook_script: str | None
    data_dir: Path | None
    code_url: str
    data_url: str
    train_url: str
    log_url: str
    version_number: int
    pre_version_id: int | None


def too_wide_for_code(root: Path, folder: Path) -> bool:
    """Whether ``folder`` is the server root or the home folder, which hold far more than a
    job's code (other projects, keys, the extension's own files)."""
    return folder.resolve() in (root.resolve(), Path.home().resolve())


def upload_scan(places: TrainingPlaces, folder: Path, **options: Any) -> code_folder.CodeFolder:
    """What an upload takes from ``folder`` (never the extension's own folders)."""
    return code_folder.scan(
        folder, (*options.pop("exclude", ()), places.staging_dir.parent), **options
    )


def parse_launch(body: dict[str, Any]) -> LaunchRequest:
    try:
        return LaunchRequest.model_validate(body)
    except PydanticValidationError as error:
        raise field_error(error) from None


async def plan_launch(
    accounts: Accounts,
    places: TrainingPlaces,
    request: LaunchRequest,
    backend: JobsBackend | None = None,
) -> LaunchPlan:
    """Check everything that can be checked before an upload, and decide the locations."""
    backend = backend or V1_JOBS
    root = places.root_dir
    file = await asyncio.to_thread(confine, root, request.path, field="path")
    if not file.is_file() or file.suffix not in (".py", code_folder.NOTEBOOK_SUFFIX):
        raise OperationError("NOT_TRAINABLE", "must be a .py file or a notebook", field="path")
    folder = (
        await asyncio.to_thread(confine, root, request.code_folder, field="code_folder")
        if request.code_folder is not None
        else file.parent
    )
    if not folder.is_dir():
        raise OperationError("NOT_A_FOLDER", "is not a folder", field="code_folder")
    if too_wide_for_code(root, folder):
        raise OperationError(
            "CODE_FOLDER_TOO_WIDE",
            "the server root or home folder would upload everything in it: choose (or make) "
            "a folder that holds only the job's code",
            field="code_folder",
        )
    # The file itself is the default boot file (a notebook: the script made from it).
    own_boot = (
        (file.parent.relative_to(folder) / code_folder.boot_script_name(file)).as_posix()
        if folder in file.parents
        else None
    )
    boot_relative = request.boot_file or own_boot
    if boot_relative is None:
        raise OperationError(
            "FILE_OUTSIDE_CODE_FOLDER",
            "the file must be inside the code folder",
            field="code_folder",
        )
    if boot_relative != own_boot:
        boot = await asyncio.to_thread(confine, folder, boot_relative, field="boot_file")
        if not boot.is_file():
            raise OperationError(
                "NO_SUCH_BOOT_FILE", "no such file in the code folder", field="boot_file"
            )
    notebook_script = (
        boot_relative
        if boot_relative == own_boot and file.suffix == code_folder.NOTEBOOK_SUFFIX
        else None
    )
    data_dir = None
    if request.data and request.data.local_path:
        data_dir = await asyncio.to_thread(
            confine, root, request.data.local_path, field="data.local_path"
        )
        if not data_dir.is_dir():
            raise OperationError("NOT_A_FOLDER", "is not a folder", field="data.local_path")

    checked = await backend.check(accounts, request)
    version_number, pre_version_id = checked.version_number, checked.pre_version_id
    # A new version keeps its job's name, whatever the form still says: its folders derive
    # from it.
    if checked.job_name:
        request = request.model_copy(update={"job_name": checked.job_name})

    default_base = await obs_folder_for(accounts, places)
    base = request.obs_folder or default_base
    folders = training_folders.version_folders(base, request.job_name, version_number)
    train_url = request.train_url or folders.train_url
    log_url = request.log_url or folders.log_url
    await training_folders.check_output_folders(
        accounts,
        {"train_url": train_url, "log_url": log_url},
        obs_folders={base, default_base},
        job_name=request.job_name,
        version_number=version_number,
        earlier_versions=checked.earlier,
    )
    data_url = training_folders.job_folder(base, request.job_name) + "data/"
    if request.data and request.data.obs_url:
        data_url = request.data.obs_url
    return LaunchPlan(
        request=request,
        file=file,
        folder=folder,
        boot_relative=boot_relative,
        notebook_script=notebook_script,
        data_dir=data_dir,
        code_url=folders.code_url,
        data_url=data_url,
        train_url=train_url,
        log_url=log_url,
        version_number=version_number,
        pre_version_id=pre_version_id,
    )


@dataclass(frozen=True)
class Checked:
    """What the cloud says of a launch: the new version's number and the one it follows, the
    folders of the job's earlier versions and the job's own name (a new version keeps it)."""

    version_number: int = 1
    pre_version_id: int | None = None
    earlier: list[tuple[str, list[str]]] = field(default_factory=list)
    job_name: str | None = None


class JobsBackend(Protocol):
    """What the launch does through one training API generation (v1 here, v2 in
    training_v2.py): check the request against the cloud, create the job, find it by name."""

    async def check(self, accounts: Accounts, request: LaunchRequest) -> Checked:
        """Raise for what the cloud would refuse."""
        ...

    async def create(
        self, client: ModelArts, plan: LaunchPlan, workspace_id: str
    ) -> dict[str, Any]:
        """Create the job; the launch's result (``job_id``, ``version_id``)."""
        ...

    async def find(self, client: ModelArts, job_name: str, workspace_id: str) -> str | None:
        """The id of the job of this name, if there is one."""
        ...

    def watcher(self, accounts: Accounts, watchers: Watchers) -> ResourceWatcher:
        """The watcher of the profile's training jobs."""
        ...


class _V1Jobs:
    async def check(self, accounts: Accounts, request: LaunchRequest) -> Checked:
        client = await accounts.modelarts()
        await check_resources(
            client, int(request.spec_id), int(request.engine_id), request.worker_server_num
        )
        if request.job_id is not None:
            listing = await client.training.versions(int(request.job_id))
            if not listing.versions:
                raise OperationError("JOB_HAS_NO_VERSION", "the job has no version", field="job_id")
            return Checked(
                version_number=(listing.version_count or len(listing.versions)) + 1,
                pre_version_id=max(version.version_id for version in listing.versions),
                earlier=training_folders.earlier_folders(listing.versions),
                job_name=listing.job_name,
            )
        if await self.find(client, request.job_name, _workspace(accounts)):
            raise name_taken("pick another name or make a new version")
        return Checked()

    async def create(
        self, client: ModelArts, plan: LaunchPlan, workspace_id: str
    ) -> dict[str, Any]:
        request = plan.request
        config = v1_config(plan)
        if request.job_id is None:
            created = await client.training.create(
                job_name=request.job_name,
                job_desc=request.job_desc,
                workspace_id=workspace_id,
                config=config,
            )
        else:
            created = await client.training.create_version(
                int(request.job_id),
                job_desc=request.job_desc,
                config={**config, "pre_version_id": plan.pre_version_id},
            )
        return {"job_id": created.job_id, "version_id": created.version_id}

    async def find(self, client: ModelArts, job_name: str, workspace_id: str) -> str | None:
        found = await client.training.find(job_name, workspace_id=workspace_id)
        return str(found.job_id) if found is not None else None

    def watcher(self, accounts: Accounts, watchers: Watchers) -> ResourceWatcher:
        return jobs_watcher(accounts, watchers)


V1_JOBS: JobsBackend = _V1Jobs()


def name_taken(alternative: str) -> OperationError:
    return OperationError(
        "DUPLICATE",
        f"a training job of this name exists: {alternative}",
        status=409,
        params={"alternative": alternative},
        field="job_name",
    )


def v1_config(plan: LaunchPlan) -> dict[str, Any]:
    """The job configuration of TJ-1/TJ-6/TC-1 for a planned launch."""
    request = plan.request
    return {
        "worker_server_num": request.worker_server_num,
        "spec_id": request.spec_id,
        "engine_id": request.engine_id,
        "app_url": plan.code_url,
        "boot_file_url": plan.code_url + plan.boot_relative,
        "data_url": plan.data_url,
        "train_url": plan.train_url,
        "log_url": plan.log_url,
        "parameter": [p.model_dump() for p in request.parameters],
    }


async def check_resources(client: ModelArts, spec_id: int, engine_id: int, workers: int) -> None:
    """Spec, engine and worker count as the specs and engines APIs allow them."""
    specs = {spec.spec_id: spec for spec in (await client.specs.resources(job_type="train")).specs}
    spec = specs.get(spec_id)
    if spec is None:
        raise OperationError(
            "UNKNOWN_SPEC",
            f"unknown resource spec {spec_id}",
            field="spec_id",
            params={"spec_id": spec_id},
        )
    if spec.max_num is not None and workers > spec.max_num:
        raise OperationError(
            "TOO_MANY_WORKERS",
            f"this spec allows at most {spec.max_num} workers",
            field="worker_server_num",
            params={"max_num": spec.max_num},
        )
    engines = {e.engine_id for e in (await client.specs.engines(job_type="train")).engines}
    if engine_id not in engines:
        raise OperationError(
            "UNKNOWN_ENGINE",
            f"unknown AI engine {engine_id}",
            field="engine_id",
            params={"engine_id": engine_id},
        )


def parse_job_id(text: str) -> int:
    """A v1 job id from a path (a number)."""
    job_id = parse_whole_number(text)
    if job_id is None:
        raise not_a_whole_number("job_id")
    return job_id


def _workspace(accounts: Accounts) -> str:
    return accounts.workspace_id(accounts.active())


# --- the launch operation ----------------------------------------------------------------------

LAUNCH_STEPS = [
    ("prepare", "Prepare the code folder"),
    ("upload_code", "Upload the code"),
    ("upload_data", "Upload the data"),
    ("create", "Create the training job"),
    ("save_config", "Save the training job configuration"),
]


def _upload_progress(step: Any) -> Callable[[Progress], None]:
    def report(progress: Progress) -> None:
        fraction = progress.done / progress.total if progress.total else 1.0
        step.update(
            fraction, message("FILES_SENT", done=progress.files_done, total=progress.files_total)
        )

    return report


def start_launch(
    accounts: Accounts,
    operations: Operations,
    watchers: Watchers,
    places: TrainingPlaces,
    plan: LaunchPlan,
    operation_id: str | None = None,
    backend: JobsBackend | None = None,
) -> OperationRecord:
    """Run the launch in the background; ``operation_id`` runs an earlier launch again."""
    backend = backend or V1_JOBS
    profile = accounts.active()
    request = plan.request
    workspace_id = accounts.workspace_id(profile)
    staging = (
        places.staging_dir
        / hashlib.sha256(f"{profile.name}\0{request.job_name}\0{plan.folder}".encode()).hexdigest()[
            :24
        ]
    )

    async def workflow(progress: OperationProgress) -> dict[str, Any]:
        client = await accounts.modelarts(profile)
        async with progress.step("prepare") as step:
            code = await asyncio.to_thread(
                functools.partial(
                    upload_scan,
                    places,
                    plan.folder,
                    exclude=(plan.data_dir,) if plan.data_dir else (),
                    include_hidden=plan.request.include_hidden,
                )
            )
            generated = {}
            if plan.notebook_script is not None:
                generated[plan.notebook_script] = await asyncio.to_thread(
                    code_folder.notebook_to_script, plan.file
                )
            await asyncio.to_thread(code_folder.stage, code, staging, generated)
            step.update(message=message("FILES_STAGED", files=len(code.files), bytes=code.size))
        transfer = await storage.obs_transfer(accounts, profile)
        try:
            async with progress.step("upload_code") as step:
                await transfer.ensure_bucket(
                    split_obs_url(plan.code_url)[0], location=profile.region
                )
                report = await transfer.upload_folder(
                    staging, plan.code_url, progress=_upload_progress(step)
                )
                step.update(message=uploaded(report))
            if plan.data_dir is None:
                progress.skip("upload_data", message("DATA_ON_OBS"))
            else:
                async with progress.step("upload_data") as step:
                    data = await asyncio.to_thread(
                        functools.partial(
                            upload_scan,
                            places,
                            plan.data_dir,
                            include_hidden=plan.request.include_hidden,
                            ignore_files=False,
                        )
                    )
                    report = await transfer.upload_folder(
                        plan.data_dir,
                        plan.data_url,
                        files=data.files,
                        progress=_upload_progress(step),
                    )
                    step.update(message=uploaded(report))
        finally:
            await transfer.aclose()
        # Kept until the upload is complete: an interrupted one resumes from the same files.
        await asyncio.to_thread(shutil.rmtree, staging, True)
        async with progress.step("create"):
            created = await backend.create(client, plan, workspace_id)
        backend.watcher(accounts, watchers).poke()
        if request.save_config is None:
            progress.skip("save_config", message("NOT_ASKED"))
        else:
            async with progress.step("save_config"):
                await client.training_configs.create(
                    config_name=request.save_config, config_desc=request.job_desc, **v1_config(plan)
                )
        return {
            **created,
            "job_name": request.job_name,
            "train_url": plan.train_url,
        }

    return operations.start(
        kind=LAUNCH,
        title=message("TRAIN", job_name=request.job_name),
        profile=profile.name,
        steps=LAUNCH_STEPS,
        params=request.model_dump(mode="json"),
        workflow=workflow,
        operation_id=operation_id,
    )


async def train_from_file(
    accounts: Accounts,
    operations: Operations,
    watchers: Watchers,
    places: TrainingPlaces,
    body: dict[str, Any],
) -> OperationRecord:
    """Check the request, then start the launch operation."""
    plan = await plan_launch(accounts, places, parse_launch(body))
    return start_launch(accounts, operations, watchers, places, plan)


async def retry_launch(
    accounts: Accounts,
    operations: Operations,
    watchers: Watchers,
    places: TrainingPlaces,
    operation_id: str,
    backend: JobsBackend | None = None,
    parse: Callable[[dict[str, Any]], LaunchRequest] | None = None,
) -> OperationRecord:
    """Run a failed, cancelled or interrupted launch again: files already on OBS are skipped,
    large files resume from their checkpoint, a job created before is found by name."""
    backend = backend or V1_JOBS
    parse = parse or parse_launch
    record = operations.get(operation_id)
    if record.kind != LAUNCH:
        raise not_of_kind(LAUNCH, "not a training launch")
    if record.state in ("running", "succeeded"):
        raise OperationError(
            "NOT_RETRYABLE",
            f"the launch has {record.state}",
            status=409,
            field="id",
            params={"state": record.state},
        )
    request = parse(record.params)
    if request.job_id is None:
        client = await accounts.modelarts()
        existing = await backend.find(client, request.job_name, _workspace(accounts))
        if existing is not None:
            # The job was created before the interruption: only what followed is left to do.
            raise OperationError(
                "ALREADY_CREATED",
                f"job {request.job_name} was created (id {existing})",
                status=409,
                field="job_name",
                params={"job_name": request.job_name, "job_id": existing},
            )
    plan = await plan_launch(accounts, places, request, backend)
    return start_launch(
        accounts, operations, watchers, places, plan, operation_id=record.id, backend=backend
    )


async def _free_job_name(accounts: Accounts, stem: str, backend: JobsBackend) -> str:
    """``stem``, or ``stem-2``, ``stem-3``... when a job of that name exists: launching the
    same file again with the defaults makes a new job instead of a name clash."""
    client = await accounts.modelarts()
    workspace_id = _workspace(accounts)
    name, number = stem, 1
    while await backend.find(client, name, workspace_id):
        number += 1
        name = f"{stem}-{number}"
    return name


async def prefill(
    accounts: Accounts, places: TrainingPlaces, path: str, backend: JobsBackend | None = None
) -> dict[str, Any]:
    """What the dialog shows before the user changes anything."""
    file = await asyncio.to_thread(confine, places.root_dir, path, field="path")
    if not file.is_file() or file.suffix not in (".py", code_folder.NOTEBOOK_SUFFIX):
        raise OperationError("NOT_TRAINABLE", "must be a .py file or a notebook", field="path")
    folder = file.parent
    data_dir = folder / "data"
    exclude = (data_dir,) if data_dir.is_dir() else ()
    # A file directly in the root or home: no folder is proposed, the user picks one.
    proposed = not too_wide_for_code(places.root_dir, folder)
    code = (
        await asyncio.to_thread(functools.partial(upload_scan, places, folder, exclude=exclude))
        if proposed
        else code_folder.CodeFolder(folder)
    )
    source = await asyncio.to_thread(code_folder.script_source, file)
    job_name = await _free_job_name(
        accounts,
        re.sub(r"[^A-Za-z0-9_-]", "-", file.stem)[:50].strip("-") or "job",
        backend or V1_JOBS,
    )
    base = await obs_folder_for(accounts, places)
    folders = training_folders.version_folders(base, job_name, 1)
    root = places.root_dir
    return {
        "path": code_folder.relative_to_root(root, file),
        "job_name": job_name,
        "code_folder": code_folder.relative_to_root(root, folder) if proposed else "",
        "code": code.summary(),
        "boot_file": code_folder.boot_script_name(file),
        "notebook": file.suffix == code_folder.NOTEBOOK_SUFFIX,
        "data": (
            {"local_path": code_folder.relative_to_root(root, data_dir)}
            if exclude
            else {"obs_url": f"{base}{job_name}/data/"}
        ),
        "obs_folder": base,
        "train_url": folders.train_url,
        "log_url": folders.log_url,
        "parameters": code_folder.script_parameters(source),
        "worker_server_num": 1,
        "engine": await _engine_for(accounts, source),
    }


async def _engine_for(accounts: Accounts, source: str) -> dict[str, Any] | None:
    """The AI engine the script's imports call for (the first of that name the engines API
    lists), with the reason (the module imported) for the dialog to show."""
    found = code_folder.imported_framework(source)
    if found is None:
        return None
    module, framework, engine_name = found
    client = await accounts.modelarts()
    listed = (await client.specs.engines(job_type="train")).engines
    engine = next((e for e in listed if (e.engine_name or "").lower() == engine_name.lower()), None)
    if engine is None:
        return None
    return {"engine_id": engine.engine_id, "framework": framework, "module": module}


# --- jobs, versions, logs ----------------------------------------------------------------------


def generation_jobs_watcher(
    accounts: Accounts,
    watchers: Watchers,
    listing: Listing,
    view: Callable[[BaseModel], dict[str, Any]],
) -> ResourceWatcher:
    """The active profile's training jobs of one API generation (``listing`` pages them,
    ``view`` makes each a job row), all under one kind, so that the Training section and its
    notifications follow v1 and v2 jobs alike."""
    return workspace_watcher(
        accounts,
        watchers,
        kind=KIND,
        listing=listing,
        is_transitional=lambda item: not item["terminal"],
        key="job_id",
        view=view,
    )


def jobs_watcher(accounts: Accounts, watchers: Watchers) -> ResourceWatcher:
    """The active profile's training jobs, with their latest version's status as words."""
    return generation_jobs_watcher(
        accounts,
        watchers,
        lambda client, workspace_id: client.training.iterate(workspace_id=workspace_id),
        _view,
    )


async def newest_first(watcher: ResourceWatcher, max_age: float) -> list[dict[str, Any]]:
    """The watcher's job rows (from a snapshot at most ``max_age`` seconds old), newest
    first."""
    jobs = await watcher.snapshot(max_age)
    return sorted(jobs, key=lambda job: job.get("create_time") or 0, reverse=True)


async def list_jobs(accounts: Accounts, watchers: Watchers, max_age: float) -> list[dict[str, Any]]:
    return await newest_first(jobs_watcher(accounts, watchers), max_age)


async def job_versions(accounts: Accounts, job_id: int) -> dict[str, Any]:
    client = await accounts.modelarts()
    listing = await client.training.versions(job_id)
    return {
        **listing.model_dump(mode="json", exclude={"versions"}),
        "versions": [_view(version) for version in listing.versions],
    }


async def version_detail(accounts: Accounts, job_id: int, version_id: int) -> dict[str, Any]:
    """The version's configuration, and for a failed one the reason read from its log."""
    client = await accounts.modelarts()
    version = await client.training.get_version(job_id, version_id)
    detail = _view(version)
    detail["failure_reason"] = (
        await failure_reason(client, version) if version.job_status is JobStatus.FAILED else None
    )
    return detail


async def failure_reason(client: ModelArts, version: TrainingJobVersion) -> str | None:
    """The last error line of a worker's log (a traceback's final line): the failed worker's
    first, where known, then the others in order; prefixed with the worker when there are
    several. Without one, the last line of the first log that has any."""
    job_id = version.job_id or 0
    files = await client.training.log_files(job_id, version.version_id)
    failed = [i for i, task in enumerate(version.task_statuses) if task.get("phase") == "failed"]
    order = [i for i in failed if i < len(files)] + [
        i for i in range(len(files)) if i not in failed
    ]
    last: str | None = None
    for index in order:
        tail = await client.training.log_lines(job_id, version.version_id, files[index], lines=100)
        found = error_line(tail.content)
        if found:
            return f"worker-{index}: {found}" if len(files) > 1 else found
        last = last or last_error_line(tail.content)
    return last


def error_line(log: str) -> str | None:
    """The last error line of a log's tail (a traceback's final line)."""
    for line in reversed(log.splitlines()):
        if _ERROR_LINE.match(line.strip()):
            return line.strip()
    return None


def last_error_line(log: str) -> str | None:
    """The last error line of a log's tail (a traceback's final line), else its last line."""
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    return error_line(log) or (lines[-1] if lines else None)


def description_of(body: dict[str, Any]) -> str:
    """The new description a request body carries (``job_desc``), for v1 and v2 alike."""
    description = body.get("job_desc")
    if not isinstance(description, str):
        raise OperationError("FIELD_REQUIRED", "a text is required", field="job_desc")
    return description


async def update_description(
    accounts: Accounts, watchers: Watchers, job_id: int, body: dict[str, Any]
) -> None:
    description = description_of(body)
    client = await accounts.modelarts()
    await client.training.update_description(job_id, description)
    jobs_watcher(accounts, watchers).poke()


async def list_events(accounts: Accounts, job_id: int, query: dict[str, Any]) -> dict[str, Any]:
    raise only_in_v2("events")


async def show_metrics(accounts: Accounts, job_id: int, worker: str | None) -> dict[str, Any]:
    raise only_in_v2("metrics")


async def delete_job(accounts: Accounts, watchers: Watchers, job_id: int) -> None:
    client = await accounts.modelarts()
    await client.training.delete(job_id)
    jobs_watcher(accounts, watchers).poke()


async def delete_version(
    accounts: Accounts, watchers: Watchers, job_id: int, version_id: int
) -> None:
    client = await accounts.modelarts()
    await client.training.delete_version(job_id, version_id)
    jobs_watcher(accounts, watchers).poke()


async def stop_version(
    accounts: Accounts, watchers: Watchers, job_id: int, version_id: int
) -> dict[str, Any]:
    client = await accounts.modelarts()
    version = await client.training.get_version(job_id, version_id)
    if version.job_status not in STOPPABLE:
        raise OperationError(
            "NOT_STOPPABLE",
            f"the version is {version.job_status.name.lower()}: only a queued or running "
            "version can be stopped",
            status=409,
            params={"status": version.job_status.name.lower()},
        )
    await client.training.stop(job_id, version_id)
    jobs_watcher(accounts, watchers).poke()
    return _view(await client.training.get_version(job_id, version_id))


class NewVersionRequest(BaseModel):
    """A new version from an existing one: what changes, the rest is copied."""

    model_config = ConfigDict(extra="forbid")

    pre_version_id: int
    parameters: list[RunParameter] | None = None
    spec_id: int | None = None
    engine_id: int | None = None
    worker_server_num: int | None = Field(default=None, ge=1)
    job_desc: Description256 | None = None
    train_url: str | None = None
    log_url: str | None = None

    _check_folders = field_validator("train_url", "log_url")(_obs_folder)


async def new_version(
    accounts: Accounts, watchers: Watchers, job_id: int, body: dict[str, Any]
) -> dict[str, Any]:
    try:
        request = NewVersionRequest.model_validate(body)
    except PydanticValidationError as error:
        raise field_error(error) from None
    client = await accounts.modelarts()
    previous = await client.training.get_version(job_id, request.pre_version_id)
    listing = await client.training.versions(job_id)
    spec_id = request.spec_id or previous.spec_id or 0
    engine_id = request.engine_id or previous.engine_id or 0
    workers = request.worker_server_num or previous.worker_server_num or 1
    await check_resources(client, spec_id, engine_id, workers)
    # A copied version reads the same code; its own folders sit next to the earlier versions'.
    app_url = previous.app_url or ""
    number = (listing.version_count or len(listing.versions)) + 1
    obs_folder, job_name = training_folders.training_folder_and_job(
        training_folders.job_folder_of_code(app_url)
    )
    folders = training_folders.version_folders(obs_folder, job_name, number)
    train_url = request.train_url or folders.train_url
    log_url = request.log_url or folders.log_url
    await training_folders.check_output_folders(
        accounts,
        {"train_url": train_url, "log_url": log_url},
        obs_folders={obs_folder},
        job_name=job_name,
        version_number=number,
        earlier_versions=training_folders.earlier_folders(listing.versions),
    )
    parameters = (
        [p.model_dump() for p in request.parameters]
        if request.parameters is not None
        else [{"label": p.get("label"), "value": p.get("value", "")} for p in previous.parameter]
    )
    created = await client.training.create_version(
        job_id,
        job_desc=request.job_desc,
        config={
            "pre_version_id": request.pre_version_id,
            "worker_server_num": workers,
            "spec_id": spec_id,
            "engine_id": engine_id,
            "app_url": app_url,
            "boot_file_url": previous.boot_file_url,
            "data_url": previous.data_url,
            "train_url": train_url,
            "log_url": log_url,
            "parameter": parameters,
        },
    )
    jobs_watcher(accounts, watchers).poke()
    return created.model_dump(mode="json")


#: `worker` of read_log that asks for every worker's log in one view.
ALL_WORKERS = "all"


def worker_log(files: list[str], worker: str) -> str:
    """The log file of worker `worker` (its task index)."""
    if not worker.isdigit() or int(worker) >= len(files):
        raise OperationError(
            "NO_SUCH_WORKER",
            f"a worker index below {len(files)} or {ALL_WORKERS!r}",
            field="worker",
            params={"workers": len(files), "all": ALL_WORKERS},
        )
    return files[int(worker)]


@dataclass(frozen=True)
class LogQuery:
    """Which chunk of a log to read, for v1 and v2 alike: with ``api="lines"`` the lines after
    ``base_line`` ('0': from the start, none: the last ``lines``); with ``api="bytes"`` (v1's
    TJ-11) 2 KiB from ``start_byte``. The log is the first worker's unless ``log_file`` or
    ``worker`` (a task index, or ``"all"`` for every worker's lines, each prefixed with its
    worker) names another."""

    api: Literal["lines", "bytes"] = "lines"
    log_file: str | None = None
    worker: str | None = None
    base_line: str | None = None
    lines: int = LOG_BATCH
    start_byte: int | None = None


async def read_lines(
    read: Callable[..., Awaitable[LineChunk]], chunk: dict[str, Any], query: LogQuery
) -> dict[str, Any]:
    """``chunk`` with the lines ``query`` asks for, read by ``read`` (a log-by-lines call
    with its job and log given)."""
    if query.base_line is None:
        part = await read(lines=query.lines)
    else:
        part = await read(base_line=query.base_line, lines=query.lines, order="desc")
    return line_chunk(chunk, part, query.base_line)


async def read_log(
    accounts: Accounts, job_id: int, version_id: int, query: LogQuery
) -> dict[str, Any]:
    """A chunk of the log (TJ-13 by lines, TJ-11 by bytes). ``terminal`` says whether the
    version has ended (nothing more will come once a chunk is empty)."""
    api, log_file, worker = query.api, query.log_file, query.worker
    base_line, lines = query.base_line, query.lines
    client = await accounts.modelarts()
    files = await client.training.log_files(job_id, version_id)
    version = await client.training.get_version(job_id, version_id)
    chunk: dict[str, Any] = {"log_files": files, **status_fields(version.status)}
    if worker == ALL_WORKERS and files:
        if api != "lines":
            raise OperationError(
                "ALL_WORKERS_BY_LINES", "every worker's log is read by lines", field="api"
            )
        merged = await _merged_lines(client, job_id, version_id, files, base_line, lines)
        return {**chunk, "log_file": None, **merged}
    if worker is not None and files:
        log_file = worker_log(files, worker)
    log_file = log_file or (files[0] if files else None)
    if log_file is None:
        return {**chunk, "log_file": None, "content": "", "lines": 0}
    chunk["log_file"] = log_file
    if api == "bytes":
        piece = await client.training.log_bytes(
            job_id, version_id, log_file, start_byte=query.start_byte
        )
        return {**chunk, "content": piece.log, "end_byte": piece.end_byte}
    read = functools.partial(client.training.log_lines, job_id, version_id, log_file)
    return await read_lines(read, chunk, query)


def line_chunk(chunk: dict[str, Any], part: LineChunk, base_line: str | None) -> dict[str, Any]:
    """A REST log chunk: ``chunk``'s fields and the lines read after ``base_line``."""
    return {
        **chunk,
        "content": part.content,
        "lines": part.lines or 0,
        "start_line": part.start_line,
        "end_line": part.end_line or base_line,
    }


async def _merged_lines(
    client: ModelArts,
    job_id: int,
    version_id: int,
    files: list[str],
    base_line: str | None,
    lines: int,
) -> dict[str, Any]:
    """The lines of every worker's log after ``base_line`` (one marker per worker, joined by
    commas; '0': from the start of each; none: the last lines of each), worker by worker, each
    line prefixed with its worker's task name."""
    markers: list[str | None] = [None] * len(files)
    if base_line == "0":
        markers = ["0"] * len(files)
    elif base_line is not None:
        given = base_line.split(",")
        if len(given) != len(files) or not all(m.isdigit() for m in given):
            raise OperationError(
                "LINE_MARKERS",
                f"one line marker per worker ({len(files)})",
                field="base_line",
                params={"workers": len(files)},
            )
        markers = list(given)
    share = max(1, lines // len(files))
    content: list[str] = []
    count = 0
    for index, (name, marker) in enumerate(zip(files, markers, strict=True)):
        if marker is None:
            part = await client.training.log_lines(job_id, version_id, name, lines=share)
        else:
            part = await client.training.log_lines(
                job_id, version_id, name, base_line=marker, lines=share, order="desc"
            )
        content.extend(f"[worker-{index}] {line}" for line in part.content.splitlines())
        count += part.lines or 0
        markers[index] = part.end_line or marker or "0"
    return {
        "content": "".join(line + "\n" for line in content),
        "lines": count,
        "end_line": ",".join(str(m) for m in markers),
    }


async def full_log(
    accounts: Accounts, job_id: int, version_id: int, worker: str | None = None
) -> tuple[str, str]:
    """(file name, the whole log) for a download: worker 0's unless ``worker`` names another
    (a task index), or ``"all"``: every worker's log in turn, each line prefixed with its
    worker."""
    client = await accounts.modelarts()
    files = await client.training.log_files(job_id, version_id)
    if not files:
        raise OperationError("NO_LOG_YET", "this version has no log yet", status=404)
    if worker == ALL_WORKERS:
        texts = [await whole_log(_lines_of(client, job_id, version_id, name)) for name in files]
        merged = "".join(
            f"[worker-{index}] {line}\n"
            for index, text in enumerate(texts)
            for line in text.splitlines()
        )
        return f"training-{job_id}-{version_id}-all-workers", merged
    name = worker_log(files, worker) if worker is not None else files[0]
    return name, await whole_log(_lines_of(client, job_id, version_id, name))


def _lines_of(
    client: ModelArts, job_id: int, version_id: int, name: str
) -> Callable[[str], Awaitable[LineChunk]]:
    """Reads log `name` by lines, from a line marker on."""

    def read(base_line: str) -> Awaitable[LineChunk]:
        return client.training.log_lines(
            job_id, version_id, name, base_line=base_line, lines=LOG_BATCH, order="desc"
        )

    return read


async def whole_log(read: Callable[[str], Awaitable[LineChunk]]) -> str:
    """Every line ``read(base_line)`` returns, batch after batch, from the first."""
    parts: list[str] = []
    base_line = "0"
    while True:
        part = await read(base_line)
        if not part.lines:
            break
        parts.append(part.content if part.content.endswith("\n") else part.content + "\n")
        base_line = part.end_line or base_line
    return "".join(parts)


async def list_output(
    accounts: Accounts, places: TrainingPlaces, job_id: int, version_id: int
) -> dict[str, Any]:
    """The files the version wrote to its ``train_url``."""
    client = await accounts.modelarts()
    version = await client.training.get_version(job_id, version_id)
    if not version.train_url:
        return {"train_url": None, "files": []}
    return await output_files(accounts, version.train_url)


async def output_files(accounts: Accounts, train_url: str) -> dict[str, Any]:
    """The files under a job's output folder ``train_url``."""
    transfer = await storage.obs_transfer(accounts, accounts.active())
    try:
        objects = await transfer.list(train_url)
    except CloudError as error:
        if isinstance(error, NotFoundError):
            objects = []
        else:
            raise
    finally:
        await transfer.aclose()
    _bucket, prefix = split_obs_url(train_url)
    return {
        "train_url": train_url,
        "files": [
            {"path": info.key[len(prefix) :], "size": info.size}
            for info in objects
            if not info.key.endswith("/")
        ],
    }


# --- training job configurations ---------------------------------------------------------------


async def list_configs(accounts: Accounts) -> list[dict[str, Any]]:
    client = await accounts.modelarts()
    listing = await client.training_configs.list(per_page=1000)
    return [config.model_dump(mode="json") for config in listing.configs]


async def get_config(accounts: Accounts, config_name: str) -> dict[str, Any]:
    """A saved configuration, with its run parameters as the dialog's rows."""
    client = await accounts.modelarts()
    config = (await client.training_configs.get(config_name)).model_dump(mode="json")
    config["parameters"] = [
        {"label": str(p.get("label") or p.get("key") or ""), "value": str(p.get("value") or "")}
        for p in config.pop("parameter", [])
    ]
    return config


async def update_config(
    accounts: Accounts, config_name: str, body: dict[str, Any]
) -> dict[str, Any]:
    """TC-3: replace the configuration (its name stays); the configuration as stored."""
    client = await accounts.modelarts()
    await client.training_configs.update(config_name, body)
    return await get_config(accounts, config_name)


async def delete_config(accounts: Accounts, config_name: str) -> None:
    """TC-4."""
    client = await accounts.modelarts()
    await client.training_configs.delete(config_name)
