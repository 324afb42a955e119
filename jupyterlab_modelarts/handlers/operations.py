"""Long operations: list, show, cancel. Flows start them through their own routes."""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from .base import ModelArtsHandler


class OperationsHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        kind = self.get_argument("kind", None)
        records = self.modelarts.operations.records(kind)
        self.write_json({"operations": [r.model_dump(mode="json") for r in records]})


class OperationHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, operation_id: str) -> None:
        self.write_json(self.modelarts.operations.get(operation_id).model_dump(mode="json"))


class CancelOperationHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def post(self, operation_id: str) -> None:
        record = await self.modelarts.operations.cancel(operation_id)
        self.write_json(record.model_dump(mode="json"))
