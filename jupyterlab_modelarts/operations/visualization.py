"""Visualization (TensorBoard) jobs over a training output folder (VJ-1 ... VJ-7)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticValidationError

from ..cloud.schemas.rules import Description256, Name20, ObsFolder
from ..cloud.schemas.training import VisualizationJob
from .accounts import Accounts, field_error
from .errors import OperationError
from .training import status_fields
from .training_api import effective_training_api, require_v1

ACTIONS = ("stop", "restart")


class VisualizationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    job_name: Name20
    train_url: ObsFolder
    job_desc: Description256 | None = None


class VisualizationDescription(BaseModel):
    model_config = ConfigDict(extra="forbid")

    job_desc: Description256


def _view(job: VisualizationJob) -> dict[str, Any]:
    data = job.model_dump(mode="json")
    return {**data, **status_fields(data.get("status"))}


async def list_jobs(accounts: Accounts) -> list[dict[str, Any]]:
    """The profile's visualization jobs (none on an account without the v1 training API)."""
    profile = accounts.active()
    if effective_training_api(accounts) != "v1":
        return []
    client = await accounts.modelarts()
    workspace_id = accounts.workspace_id(profile)
    return [_view(job) async for job in client.visualization.iterate(workspace_id=workspace_id)]


async def create_job(accounts: Accounts, body: dict[str, Any]) -> dict[str, Any]:
    require_v1(accounts, "visualization_jobs")
    try:
        request = VisualizationRequest.model_validate(body)
    except PydanticValidationError as error:
        raise field_error(error) from None
    client = await accounts.modelarts()
    created = await client.visualization.create(request.model_dump(exclude_none=True))
    return _view(await client.visualization.get(created.job_id))


async def get_job(accounts: Accounts, job_id: int) -> dict[str, Any]:
    require_v1(accounts, "visualization_jobs")
    client = await accounts.modelarts()
    return _view(await client.visualization.get(job_id))


async def describe_job(accounts: Accounts, job_id: int, body: dict[str, Any]) -> dict[str, Any]:
    """VJ-4: a new description; the job as it is now."""
    require_v1(accounts, "visualization_jobs")
    try:
        request = VisualizationDescription.model_validate(body)
    except PydanticValidationError as error:
        raise field_error(error) from None
    client = await accounts.modelarts()
    await client.visualization.update_description(job_id, request.job_desc)
    return _view(await client.visualization.get(job_id))


async def delete_job(accounts: Accounts, job_id: int) -> None:
    require_v1(accounts, "visualization_jobs")
    client = await accounts.modelarts()
    await client.visualization.delete(job_id)


async def act(accounts: Accounts, job_id: int, action: str) -> dict[str, Any]:
    """Stop or restart, then the job as it is now."""
    require_v1(accounts, "visualization_jobs")
    client = await accounts.modelarts()
    if action == "stop":
        await client.visualization.stop(job_id)
    elif action == "restart":
        await client.visualization.restart(job_id)
    else:
        raise OperationError(
            "NO_SUCH_ACTION",
            f"unknown action {action!r}",
            status=404,
            field="action",
            params={"action": action},
        )
    return _view(await client.visualization.get(job_id))
