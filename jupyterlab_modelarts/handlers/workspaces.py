"""Workspaces of the active profile and their quotas."""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING

import tornado.web
from jupyter_server.auth.decorator import authorized

from .base import ModelArtsHandler, operations_module

if TYPE_CHECKING:
    from ..cloud.resources.workspaces import Workspaces
    from ..operations import workspaces as workspace_operations
else:
    workspace_operations = operations_module("workspaces")


class WorkspaceHandlerBase(ModelArtsHandler):
    async def workspaces(self) -> Workspaces:
        return await workspace_operations.workspaces_of_active_profile(self.accounts)


class WorkspacesHandler(WorkspaceHandlerBase):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        filters = {name: values[-1].decode() for name, values in self.request.arguments.items()}
        self.write_json(workspace_operations.as_json(await (await self.workspaces()).list(filters)))

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        created = await (await self.workspaces()).create(self.json_body())
        self.write_json(workspace_operations.as_json(created), status=HTTPStatus.CREATED)


class WorkspaceHandler(WorkspaceHandlerBase):
    @tornado.web.authenticated
    @authorized
    async def get(self, workspace_id: str) -> None:
        self.write_json(
            workspace_operations.as_json(await (await self.workspaces()).get(workspace_id))
        )

    @tornado.web.authenticated
    @authorized
    async def put(self, workspace_id: str) -> None:
        updated = await (await self.workspaces()).update(workspace_id, self.json_body())
        self.write_json(workspace_operations.as_json(updated))

    @tornado.web.authenticated
    @authorized
    async def delete(self, workspace_id: str) -> None:
        self.write_json(
            workspace_operations.as_json(await (await self.workspaces()).delete(workspace_id))
        )


class WorkspaceQuotasHandler(WorkspaceHandlerBase):
    @tornado.web.authenticated
    @authorized
    async def get(self, workspace_id: str) -> None:
        self.write_json(
            workspace_operations.as_json(await (await self.workspaces()).quotas(workspace_id))
        )

    @tornado.web.authenticated
    @authorized
    async def put(self, workspace_id: str) -> None:
        updated = await (await self.workspaces()).update_quotas(workspace_id, self.json_body())
        self.write_json(workspace_operations.as_json(updated))
