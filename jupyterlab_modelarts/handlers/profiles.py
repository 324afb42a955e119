"""Profiles: list, add or edit (checked by a real call), activate, pick a workspace, sign out;
and the cloud presets the sign-in dialog offers."""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING

import tornado.web
from jupyter_server.auth.decorator import authorized

from ..operations.errors import OperationError
from .base import ModelArtsHandler, operations_module

if TYPE_CHECKING:
    from ..operations import accounts
else:
    accounts = operations_module("accounts")


class ProfilesHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        self.write_json(
            {"profiles": await self.accounts.list(), "active": self.accounts.active().name}
        )

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        self.write_json(await self.accounts.save(self.json_body()), status=HTTPStatus.CREATED)


class CloudsHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        self.write_json({"clouds": accounts.cloud_presets()})


class ProfileHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, name: str) -> None:
        self.write_json(await self.accounts.describe(self.accounts.get(name)))

    @tornado.web.authenticated
    @authorized
    async def put(self, name: str) -> None:
        body = self.json_body()
        if body.setdefault("name", name) != name:
            raise OperationError("CANNOT_RENAME", "a profile cannot be renamed", field="name")
        self.write_json(await self.accounts.save(body))

    @tornado.web.authenticated
    @authorized
    async def delete(self, name: str) -> None:
        await self.accounts.sign_out(name)
        self.set_status(HTTPStatus.NO_CONTENT)
        self.finish()


class ActivateProfileHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def post(self, name: str) -> None:
        self.write_json(await self.accounts.activate(name))


class ProfileWorkspaceHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def put(self, name: str) -> None:
        workspace_id = self.json_body().get("workspace_id")
        if not isinstance(workspace_id, str) or not workspace_id:
            raise OperationError("FIELD_REQUIRED", "workspace_id is required", field="workspace_id")
        self.write_json(await self.accounts.set_workspace(name, workspace_id))
