"""deploy_from_path: a model folder or file of the server's tree becomes a running service.

One long operation with a step each: generate the package (single model files), upload it to
OBS, import the model, wait until it is published, deploy the service, wait until it runs. Every
input is checked before anything is sent; the operation outlives the tab and, run again with the
same inputs, continues where it stopped: unchanged files are not uploaded again, and the model
(name and version) and the service (name) it created are found and reused, never made twice.
The same operation without a service imports a model only (e.g. a training job's output).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from ..accounts.profiles import Profile
from ..cloud.errors import ValidationError
from ..cloud.modelarts import ModelArts
from ..cloud.schemas.models import ModelCreate
from ..cloud.schemas.services import ServiceCreate
from . import code_folder, model_package
from .accounts import Accounts, field_error
from .errors import OperationError, not_of_kind
from .messages import message, uploaded
from .paths import confine
from .storage import upload_folder
from .tasks import OperationProgress, OperationRecord, Operations

KIND = "deploy"
STEPS = [
    ("package", "Generate the model package"),
    ("upload", "Upload the model to OBS"),
    ("import", "Import the model"),
    ("publish", "Wait until the model is published"),
    ("deploy", "Deploy the service"),
    ("running", "Wait until the service runs"),
]
WAIT_TIMEOUT_SECONDS = 1800.0
#: Placeholder model id: the service's rules are checked before the model exists.
_PENDING = "pending"


class OtherModel(BaseModel):
    """A published model that shares the service's traffic."""

    model_config = ConfigDict(extra="forbid")
    model_id: str = Field(min_length=1)
    weight: int = Field(ge=0, le=100)


class ServiceRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    service_name: str
    infer_type: Literal["real-time", "batch"] = "real-time"
    specification: str
    instance_count: int = Field(default=1, ge=1)
    envs: dict[str, str] = Field(default_factory=dict)
    #: Traffic share of the new model; the other models' weights add up to 100 with it.
    weight: int = Field(default=100, ge=0, le=100)
    other_models: list[OtherModel] = Field(default_factory=list)
    src_path: str | None = None
    dest_path: str | None = None
    description: str | None = None
    #: A dedicated resource pool (SV-11's ``cluster_id``); the public pool when unset.
    cluster_id: str | None = None


class DeployRequest(BaseModel):
    """What the deploy dialog (or ``%modelarts deploy``) submits."""

    model_config = ConfigDict(extra="forbid")
    #: A model folder or file, relative to the server's root directory...
    path: str | None = None
    #: ...or an OBS folder holding a package (a training job's output)...
    source_location: str | None = None
    #: ...or a model already in the Models list, deployed as it is.
    model_id: str | None = None
    source_job_id: str | None = None
    source_job_version: str | None = None
    model_name: str
    model_version: str
    model_type: str
    runtime: str | None = None
    model_algorithm: str | None = None
    description: str | None = None
    generate_package: bool = False
    #: Also upload hidden files and folders of a model folder (left out by default).
    include_hidden: bool = False
    service: ServiceRequest | None = None


@dataclass(frozen=True)
class DeploySettings:
    """Where things go, from the server's configuration, and whom to tell of a change."""

    root_dir: Path
    staging_dir: Path
    obs_folder: str
    #: Called with the profile after a model or service was created or changed state, so the
    #: shared lists refresh now rather than at their next idle poll.
    changed: Callable[[Profile], None] = lambda profile: None


def parse_request(body: dict[str, Any]) -> DeployRequest:
    try:
        request = DeployRequest.model_validate(body)
    except PydanticValidationError as error:
        raise field_error(error) from None
    if (
        sum(bool(source) for source in (request.path, request.source_location, request.model_id))
        != 1
    ):
        raise OperationError(
            "GIVE_ONE_OF",
            "give a path, an OBS source_location or a model_id",
            field="path",
            params={"fields": ["path", "source_location", "model_id"]},
        )
    if request.model_id and request.service is None:
        raise OperationError(
            "SERVICE_REQUIRED", "an imported model is deployed: give the service", field="service"
        )
    return request


def _model_body(request: DeployRequest, source_location: str, workspace_id: str) -> ModelCreate:
    try:
        return ModelCreate.parse(
            model_name=request.model_name,
            model_version=request.model_version,
            model_type=request.model_type,
            source_location=source_location,
            runtime=request.runtime or None,
            model_algorithm=request.model_algorithm or None,
            description=request.description or None,
            source_job_id=request.source_job_id,
            source_job_version=request.source_job_version,
            workspace_id=workspace_id,
            install_type=[request.service.infer_type] if request.service else None,
        )
    except ValidationError as error:
        raise OperationError.from_validation(error) from None


def _service_field(field: str | None) -> str:
    """The dialog field a ServiceCreate rule names (``config[1].weight`` is the weight of the
    first other model, ``config`` the weights together)."""
    if not field or field == "config":
        return "service.weight"
    if field.startswith("config["):
        index = int(field[len("config[") : field.index("]")])
        name = field.rsplit(".", 1)[-1]
        if index > 0 and name in ("weight", "model_id"):
            return f"service.other_models[{index - 1}].{name}"
        return f"service.{name}"
    return f"service.{field}"


def _service_body(request: ServiceRequest, model_id: str, workspace_id: str) -> ServiceCreate:
    entry: dict[str, Any] = {
        "model_id": model_id,
        "specification": request.specification,
        "instance_count": request.instance_count,
    }
    if request.envs:
        entry["envs"] = request.envs
    if request.infer_type == "real-time":
        config = [{**entry, "weight": request.weight}]
        config += [
            {
                "model_id": other.model_id,
                "weight": other.weight,
                "specification": request.specification,
                "instance_count": request.instance_count,
            }
            for other in request.other_models
        ]
    else:
        config = [
            {
                **entry,
                "src_path": request.src_path,
                "dest_path": request.dest_path,
                "req_uri": "/",
                "mapping_type": "file",
            }
        ]
    try:
        return ServiceCreate.parse(
            service_name=request.service_name,
            infer_type=request.infer_type,
            config=config,
            description=request.description or None,
            workspace_id=workspace_id,
            cluster_id=request.cluster_id or None,
        )
    except ValidationError as error:
        raise OperationError.from_validation(error, field=_service_field(error.field)) from None


async def check_request(
    accounts: Accounts, profile: Profile, request: DeployRequest, settings: DeploySettings
) -> model_package.Inspection | None:
    """Every check that can be made before anything is uploaded or created: the path, the
    package, the model's and the service's fields, and names already taken."""
    inspection = None
    if request.path:
        path = confine(settings.root_dir, request.path)
        inspection = model_package.inspect(path)
        if inspection.problems:
            raise inspection.problems[0]
        if (
            inspection.kind != "package"
            and not request.generate_package
            and request.model_type not in model_package.BUILTIN_SERVED_TYPES
        ):
            raise OperationError(
                "NEEDS_INFERENCE_CODE",
                f"a {request.model_type} model needs inference code: generate the package",
                field="generate_package",
                params={"model_type": request.model_type},
            )
    workspace_id = accounts.workspace_id(profile)
    _model_body(request, request.source_location or "obs://bucket/check/", workspace_id)
    if request.service is not None:
        _service_body(request.service, _PENDING, workspace_id)
    ma = await accounts.modelarts(profile)
    if request.model_id:
        model = await ma.models.get(request.model_id)
        if model.model_status != "published":
            raise OperationError(
                "MODEL_NOT_PUBLISHED",
                f"model {model.model_name} {model.model_version} is {model.model_status}: "
                "only a published model can be deployed",
                status=409,
                field="model_id",
                params={
                    "name": model.model_name,
                    "version": model.model_version,
                    "status": model.model_status,
                },
            )
    elif await ma.models.find(request.model_name, request.model_version) is not None:
        raise OperationError(
            "MODEL_VERSION_EXISTS",
            f"{request.model_name} {request.model_version} already exists: choose another version",
            status=409,
            field="model_version",
            params={"name": request.model_name, "version": request.model_version},
        )
    if request.service is not None:
        found = await ma.services.find(request.service.service_name, workspace_id=workspace_id)
        if found is not None:
            raise OperationError(
                "SERVICE_EXISTS",
                f"a service named {request.service.service_name} already exists",
                status=409,
                field="service.service_name",
                params={"name": request.service.service_name},
            )
        if request.service.cluster_id:
            await _check_cluster(ma, request.service.cluster_id)
    return inspection


async def _check_cluster(ma: ModelArts, cluster_id: str) -> None:
    """004 §10.2.1 cluster_id: "When using the dedicated cluster to deploy services, ensure
    that the cluster status is normal". Checked before the model is imported, so that a pool
    the service cannot use leaves no model behind."""
    clusters = (await ma.services.clusters()).clusters
    cluster = next((c for c in clusters if c.cluster_id == cluster_id), None)
    if cluster is None:
        raise OperationError(
            "NO_SUCH_POOL",
            f"no dedicated resource pool {cluster_id}",
            status=404,
            field="service.cluster_id",
            params={"cluster_id": cluster_id},
        )
    if cluster.status != "running":
        raise OperationError(
            "POOL_NOT_RUNNING",
            f"resource pool {cluster.cluster_name or cluster_id} is {cluster.status}: "
            "choose one that runs",
            field="service.cluster_id",
            params={"name": cluster.cluster_name or cluster_id, "status": cluster.status},
        )


async def start_deploy(
    operations: Operations,
    accounts: Accounts,
    body: dict[str, Any],
    settings: DeploySettings,
) -> OperationRecord:
    """Check ``body`` and start the operation; its record is returned at once."""
    request = parse_request(body)
    profile = accounts.active()
    await check_request(accounts, profile, request, settings)
    return _start(operations, accounts, profile, request, settings, None)


async def resume_deploy(
    operations: Operations, accounts: Accounts, operation_id: str, settings: DeploySettings
) -> OperationRecord:
    """Run a failed, cancelled or interrupted deployment again from where it stopped."""
    record = operations.get(operation_id)
    if record.kind != KIND:
        raise not_of_kind(KIND, "not a deployment")
    if record.state in ("running", "succeeded"):
        raise OperationError(
            "NOT_RESUMABLE",
            f"the deployment has {record.state}",
            status=409,
            field="id",
            params={"state": record.state},
        )
    request = parse_request(record.params)
    profile = accounts.get(record.profile)
    return _start(operations, accounts, profile, request, settings, record.id)


def _start(
    operations: Operations,
    accounts: Accounts,
    profile: Profile,
    request: DeployRequest,
    settings: DeploySettings,
    operation_id: str | None,
) -> OperationRecord:
    target = request.service.service_name if request.service else request.model_name
    steps = [
        step
        for step in STEPS
        if (request.service is not None or step[0] not in ("deploy", "running"))
        and not (request.model_id and step[0] in ("package", "upload", "import", "publish"))
    ]

    async def workflow(progress: OperationProgress) -> dict[str, Any]:
        return await _deploy(progress, accounts, profile, request, settings)

    return operations.start(
        kind=KIND,
        title=message("DEPLOY" if request.service else "IMPORT", name=target),
        profile=profile.name,
        steps=steps,
        params=request.model_dump(mode="json", exclude_none=True),
        workflow=workflow,
        operation_id=operation_id,
    )


async def _upload(
    progress: OperationProgress,
    accounts: Accounts,
    profile: Profile,
    request: DeployRequest,
    settings: DeploySettings,
) -> str:
    """Package (if asked) and upload ``request.path``; the OBS folder above ``model/``."""
    assert request.path is not None
    path = confine(settings.root_dir, request.path)
    inspection = model_package.inspect(path)
    staging = settings.staging_dir / progress.record.id
    files: list[tuple[Path, str, int]] | None  # None: all of ``local``, written here
    if inspection.kind == "package":
        progress.skip("package", message("IS_PACKAGE"))
        folder = model_package.package_folder(path)
        # The package's own model/ keeps its place; files at the top go into model/.
        local, under = (path, "") if folder != path else (path, model_package.MODEL_FOLDER)
        files = model_package.upload_scan(path, include_hidden=request.include_hidden).files
    elif request.generate_package:
        async with progress.step("package"):
            local = model_package.write_package(
                path, inspection, staging, include_hidden=request.include_hidden
            )
            under, files = "", None
    else:
        progress.skip("package", message("BUILT_IN_SERVICE"))
        staging.mkdir(parents=True, exist_ok=True)
        model_dir = staging / model_package.MODEL_FOLDER
        if path.is_dir():  # a folder with one model file: what upload_scan picks of it
            chosen = model_package.upload_scan(path, include_hidden=request.include_hidden)
            code_folder.stage(chosen, model_dir, {})
        else:
            model_dir.mkdir(exist_ok=True)
            shutil.copyfile(path, model_dir / path.name)
        local, under, files = staging, "", None
    transfer, destination = await upload_folder(
        accounts, profile, settings.obs_folder, "models", request.model_name, request.model_version
    )
    try:
        async with progress.step("upload") as step:
            report = await transfer.upload_folder(
                local,
                destination + (f"{under}/" if under else ""),
                files=files,
                progress=lambda p: step.update(
                    p.done / p.total if p.total else None,
                    message("FILES_SENT", done=p.files_done, total=p.files_total),
                ),
            )
            step.update(message=uploaded(report))
    finally:
        await transfer.aclose()
        shutil.rmtree(staging, ignore_errors=True)
    return destination


async def _deploy(
    progress: OperationProgress,
    accounts: Accounts,
    profile: Profile,
    request: DeployRequest,
    settings: DeploySettings,
) -> dict[str, Any]:
    ma = await accounts.modelarts(profile)
    workspace_id = accounts.workspace_id(profile)
    if request.model_id:
        listed = {
            "model_id": request.model_id,
            "model_name": request.model_name,
            "model_version": request.model_version,
        }
        return await _deploy_service(
            progress, accounts, profile, request, settings, request.model_id, listed
        )
    if request.path:
        source_location = await _upload(progress, accounts, profile, request, settings)
    else:
        assert request.source_location is not None
        source_location = request.source_location
        progress.skip("package", message("IMPORTED_FROM_OBS"))
        progress.skip("upload", message("ALREADY_IN_OBS"))
    result: dict[str, Any] = {"source_location": source_location}

    async with progress.step("import") as step:
        existing = await ma.models.find(request.model_name, request.model_version)
        if existing is not None:
            model_id = existing.model_id
            step.update(message=message("IMPORTED_EARLIER"))
        else:
            created = await ma.models.create(_model_body(request, source_location, workspace_id))
            model_id = created.model_id
        result.update(
            model_id=model_id, model_name=request.model_name, model_version=request.model_version
        )
        settings.changed(profile)
    async with progress.step("publish") as step:
        model = await ma.models.wait(
            model_id,
            timeout=WAIT_TIMEOUT_SECONDS,
            interval=0.25,
            max_interval=5.0,
            on_change=lambda m: step.update(message=message("STATUS", status=m.model_status)),
        )
        settings.changed(profile)
        if model.model_status != "published":
            raise OperationError(
                "MODEL_FAILED",
                f"model {request.model_name} {request.model_version} is "
                f"{model.model_status}: {model.failed_reason or 'no reason given'}. It stays "
                "in the Models list: delete it there, fix the package and deploy again.",
                status=502,
                field="model_id",
                params={
                    "name": f"{request.model_name} {request.model_version}",
                    "status": model.model_status,
                    "reason": model.failed_reason or "",
                },
            )
    if request.service is None:
        return result
    return await _deploy_service(progress, accounts, profile, request, settings, model_id, result)


async def _deploy_service(
    progress: OperationProgress,
    accounts: Accounts,
    profile: Profile,
    request: DeployRequest,
    settings: DeploySettings,
    model_id: str,
    result: dict[str, Any],
) -> dict[str, Any]:
    """Deploy the service of a published model and wait until it runs."""
    assert request.service is not None
    ma = await accounts.modelarts(profile)
    workspace_id = accounts.workspace_id(profile)
    service_request = request.service
    async with progress.step("deploy") as step:
        found = await ma.services.find(service_request.service_name, workspace_id=workspace_id)
        if found is not None:
            service_id = found.service_id
            step.update(message=message("DEPLOYED_EARLIER"))
        else:
            body = _service_body(service_request, model_id, workspace_id)
            service_id = (await ma.services.create(body)).service_id
        result.update(service_id=service_id, service_name=service_request.service_name)
        settings.changed(profile)
    async with progress.step("running") as step:
        wanted = (
            frozenset({"running", "concerning", "failed", "stopped"})
            if service_request.infer_type == "real-time"
            else frozenset({"running", "finished", "failed", "stopped"})
        )
        service = await ma.services.wait(
            service_id,
            wanted,
            timeout=WAIT_TIMEOUT_SECONDS,
            interval=0.25,
            max_interval=5.0,
            on_change=lambda s: step.update(
                (s.progress or 0) / 100 if s.progress is not None else None,
                message("STATUS", status=s.status),
            ),
        )
        if service.status not in ("running", "finished"):
            raise OperationError(
                "SERVICE_FAILED",
                f"service {service_request.service_name} is {service.status}: "
                f"{service.error_msg or 'no reason given'}. It stays in the Services list: "
                "see its events, then start it again or delete it.",
                status=502,
                field="service_id",
                params={
                    "name": service_request.service_name,
                    "status": service.status,
                    "reason": service.error_msg or "",
                },
            )
        settings.changed(profile)
        result.update(status=service.status, access_address=service.access_address)
    return result
