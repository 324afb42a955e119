"""Workspaces of the active profile and their quotas."""

from __future__ import annotations

from http import HTTPStatus

import tornado.web
from jupyter_server.auth.decorator import authorized

from ..operations import workspaces
from .base import ModelArtsHandler


class WorkspacesHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        filters = {name: values[-1].decode() for name, values in self.request.arguments.items()}
        self.write_json(await workspaces.list_workspaces(self.accounts, filters))

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        created = await workspaces.create_workspace(self.accounts, self.json_body())
        self.write_json(created, status=HTTPStatus.CREATED)


class WorkspaceHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, workspace_id: str) -> None:
        self.write_json(await workspaces.get_workspace(self.accounts, workspace_id))

    @tornado.web.authenticated
    @authorized
    async def put(self, workspace_id: str) -> None:
        body = self.json_body()
        self.write_json(await workspaces.update_workspace(self.accounts, workspace_id, body))

    @tornado.web.authenticated
    @authorized
    async def delete(self, workspace_id: str) -> None:
        self.write_json(await workspaces.delete_workspace(self.accounts, workspace_id))


class WorkspaceQuotasHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, workspace_id: str) -> None:
        self.write_json(await workspaces.workspace_quotas(self.accounts, workspace_id))

    @tornado.web.authenticated
    @authorized
    async def put(self, workspace_id: str) -> None:
        body = self.json_body()
        updated = await workspaces.update_workspace_quotas(self.accounts, workspace_id, body)
        self.write_json(updated)
