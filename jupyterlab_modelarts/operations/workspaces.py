"""Workspaces of the active profile (004 §8): the requests are validated by the client library."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .accounts import Accounts


def _json(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_none=True)


async def list_workspaces(accounts: Accounts, filters: dict[str, Any]) -> dict[str, Any]:
    client = await accounts.modelarts()
    return _json(await client.workspaces.list(filters))


async def create_workspace(accounts: Accounts, request: dict[str, Any]) -> dict[str, Any]:
    client = await accounts.modelarts()
    return _json(await client.workspaces.create(request))


async def get_workspace(accounts: Accounts, workspace_id: str) -> dict[str, Any]:
    client = await accounts.modelarts()
    return _json(await client.workspaces.get(workspace_id))


async def update_workspace(
    accounts: Accounts, workspace_id: str, request: dict[str, Any]
) -> dict[str, Any]:
    client = await accounts.modelarts()
    return _json(await client.workspaces.update(workspace_id, request))


async def delete_workspace(accounts: Accounts, workspace_id: str) -> dict[str, Any]:
    client = await accounts.modelarts()
    return _json(await client.workspaces.delete(workspace_id))


async def workspace_quotas(accounts: Accounts, workspace_id: str) -> dict[str, Any]:
    client = await accounts.modelarts()
    return _json(await client.workspaces.quotas(workspace_id))


async def update_workspace_quotas(
    accounts: Accounts, workspace_id: str, request: dict[str, Any]
) -> dict[str, Any]:
    client = await accounts.modelarts()
    return _json(await client.workspaces.update_quotas(workspace_id, request))
