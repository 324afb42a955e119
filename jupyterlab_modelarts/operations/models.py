"""Models of the active profile: the shared list, detail, next free version, delete."""

from __future__ import annotations

from typing import Any

from ..accounts.profiles import Profile
from ..cloud.errors import ValidationError
from ..cloud.schemas.models import ModelCreate
from ..whole_numbers import parse_whole_number
from .accounts import Accounts
from .errors import OperationError
from .listings import workspace_watcher
from .watch import ResourceWatcher, Watchers

KIND = "models"
TRANSITIONAL = frozenset({"publishing", "building"})


def watcher(
    accounts: Accounts, watchers: Watchers, profile: Profile | None = None
) -> ResourceWatcher:
    """The models watcher of the active profile, shared by every tab."""
    return workspace_watcher(
        accounts,
        watchers,
        kind=KIND,
        listing=lambda ma, workspace_id: ma.models.iterate(workspace_id=workspace_id),
        is_transitional=lambda model: model.get("model_status") in TRANSITIONAL,
        key="model_id",
        profile=profile,
    )


async def list_models(accounts: Accounts, watchers: Watchers, max_age: float) -> dict[str, Any]:
    models = await watcher(accounts, watchers).snapshot(max_age)
    return {"models": sorted(models, key=lambda m: m.get("create_at") or 0, reverse=True)}


async def get_model(accounts: Accounts, model_id: str) -> dict[str, Any]:
    ma = await accounts.modelarts()
    return (await ma.models.get(model_id)).model_dump(mode="json")


async def delete_model(
    accounts: Accounts, watchers: Watchers, model_id: str, *, cascade: bool
) -> dict[str, Any]:
    """Delete a model version, or with ``cascade`` every version of its name. A model that a
    service still uses is refused upstream; the failures are returned, not raised."""
    ma = await accounts.modelarts()
    result = await ma.models.delete(model_id, cascade=cascade)
    watcher(accounts, watchers).poke()
    if not result.delete_success_list and result.delete_failed_list:
        failure = result.delete_failed_list[0]
        raise OperationError(
            "DELETE_FAILED",
            failure.error_msg or "the model could not be deleted",
            status=409,
            field="model_id",
            upstream={"error_code": failure.error_code, "error_msg": failure.error_msg},
        )
    return result.model_dump(mode="json")


def _version_key(version: str) -> tuple[int, int, int] | None:
    parts = version.split(".")
    if len(parts) != 3 or any(parse_whole_number(part) is None for part in parts):
        return None
    return int(parts[0]), int(parts[1]), int(parts[2])


async def next_version(accounts: Accounts, model_name: str) -> str:
    """The version after the highest existing version of ``model_name`` (1.0.0 for a new
    name); the last part rolls over into the one before it at 99."""
    try:
        ModelCreate.parse(
            model_name=model_name, model_version="1.0.0", source_location="x", model_type="PyTorch"
        )
    except ValidationError as error:
        raise OperationError.from_validation(error, field="model_name") from None
    ma = await accounts.modelarts()
    versions = [
        key
        async for model in ma.models.iterate(model_name=model_name)
        if model.model_name == model_name
        and (key := _version_key(model.model_version or "")) is not None
    ]
    if not versions:
        return "1.0.0"
    major, minor, patch = max(versions)
    patch += 1
    if patch > 99:
        minor, patch = minor + 1, 0
    if minor > 99:
        major, minor = major + 1, 0
    return f"{major}.{minor}.{patch}"
