"""Workspaces of the active profile (004 §8). Requests are validated by the client library."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ..cloud.resources.workspaces import Workspaces
from .accounts import Accounts


async def workspaces_of_active_profile(accounts: Accounts) -> Workspaces:
    return (await accounts.modelarts()).workspaces


def as_json(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_none=True)
