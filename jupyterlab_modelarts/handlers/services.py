"""Services: list, specifications, detail, events, update logs, monitor data, start/stop,
scaling, delete, test requests, edge node instances and dedicated clusters."""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING

import tornado.web
from jupyter_server.auth.decorator import authorized

from .base import ModelArtsHandler, operations_module

if TYPE_CHECKING:
    from ..operations import services
else:
    services = operations_module("services")


class ServicesHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        max_age = self.modelarts.poll_interval_active
        found = await services.list_services(self.accounts, self.modelarts.watchers, max_age)
        self.write_json(found)


class SpecificationsHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        infer_type = self.get_argument("infer_type", "real-time")
        self.write_json(await services.specifications(self.accounts, infer_type))


class ServiceHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, service_id: str) -> None:
        self.write_json(await services.get_service(self.accounts, service_id))

    @tornado.web.authenticated
    @authorized
    async def put(self, service_id: str) -> None:
        watchers = self.modelarts.watchers
        changes = self.json_body()
        self.write_json(await services.update_service(self.accounts, watchers, service_id, changes))

    @tornado.web.authenticated
    @authorized
    async def delete(self, service_id: str) -> None:
        await services.delete_service(self.accounts, self.modelarts.watchers, service_id)
        self.set_status(HTTPStatus.NO_CONTENT)
        self.finish()


class StartServiceHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def post(self, service_id: str) -> None:
        watchers = self.modelarts.watchers
        self.write_json(await services.set_running(self.accounts, watchers, service_id, True))


class StopServiceHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def post(self, service_id: str) -> None:
        watchers = self.modelarts.watchers
        self.write_json(await services.set_running(self.accounts, watchers, service_id, False))


class ServiceEventsHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, service_id: str) -> None:
        self.write_json(await services.service_events(self.accounts, service_id))


class ServiceUpdateLogsHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, service_id: str) -> None:
        self.write_json(await services.service_update_logs(self.accounts, service_id))


class ServiceMonitorHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, service_id: str) -> None:
        self.write_json(await services.service_monitor(self.accounts, service_id))


class ClustersHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        self.write_json(await services.clusters(self.accounts))


class EdgeNodeStatusHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def put(self, service_id: str, node_id: str) -> None:
        body = self.json_body()
        self.write_json(await services.set_node_status(self.accounts, service_id, node_id, body))


class PredictHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def post(self, service_id: str) -> None:
        self.write_json(await services.predict(self.accounts, service_id, self.json_body()))


class RequestExampleHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, service_id: str) -> None:
        self.write_json(await services.request_example(self.accounts, service_id))
