"""Notebook instances of the active profile (DevEnviron, Notebooks, PAI DSW)."""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING

import tornado.web
from jupyter_server.auth.decorator import authorized

from .base import ModelArtsHandler, operations_module

if TYPE_CHECKING:
    from ..operations import instances, instances_options
else:
    instances = operations_module("instances")
    instances_options = operations_module("instances_options")


class InstancesHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        self.write_json(await instances.list_instances(self.accounts, self.modelarts.watchers))

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        created = await instances.create_instance(
            self.accounts, self.modelarts.watchers, self.json_body(), self.modelarts.obs_folder
        )
        self.write_json(created, status=HTTPStatus.CREATED)


class InstanceOptionsHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, api: str) -> None:
        options = await instances_options.instance_options(
            self.accounts, api, self.modelarts.obs_folder
        )
        self.write_json(options)


class InstanceHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, api: str, instance_id: str) -> None:
        self.write_json(await instances.get_instance(self.accounts, api, instance_id))

    @tornado.web.authenticated
    @authorized
    async def patch(self, api: str, instance_id: str) -> None:
        updated = await instances.update_instance(
            self.accounts, self.modelarts.watchers, api, instance_id, self.json_body()
        )
        self.write_json(updated)

    @tornado.web.authenticated
    @authorized
    async def delete(self, api: str, instance_id: str) -> None:
        await instances.delete_instance(self.accounts, self.modelarts.watchers, api, instance_id)
        self.set_status(HTTPStatus.NO_CONTENT)
        self.finish()


class InstanceActionHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def post(self, api: str, instance_id: str, action: str) -> None:
        acted = await instances.act_on_instance(
            self.accounts, self.modelarts.watchers, api, instance_id, action
        )
        self.write_json(acted)
