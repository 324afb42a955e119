"""Specs, AI engines and built-in algorithms for the pickers of the training dialog."""

from __future__ import annotations

from typing import TYPE_CHECKING

import tornado.web
from jupyter_server.auth.decorator import authorized

from ..operations.errors import not_a_choice, not_a_whole_number
from ..whole_numbers import parse_whole_number
from .base import ModelArtsHandler, operations_module

if TYPE_CHECKING:
    from ..operations import catalog
else:
    catalog = operations_module("catalog")


def _job_type(handler: ModelArtsHandler) -> catalog.JobType:
    job_type = handler.get_argument("job_type", "train")
    if job_type not in ("train", "inference"):
        raise not_a_choice("job_type", "'train' or 'inference'")
    return "train" if job_type == "train" else "inference"


class SpecsHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        engine = self.get_argument("engine_id", None)
        engine_id = parse_whole_number(engine)
        if engine and engine_id is None:
            raise not_a_whole_number("engine_id")
        specs = await catalog.resource_specs(self.accounts, _job_type(self), engine_id)
        self.write_json({"specs": specs})


class EnginesHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        self.write_json({"engines": await catalog.engines(self.accounts, _job_type(self))})


class AlgorithmsHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        search = self.get_argument("search", None)
        self.write_json({"algorithms": await catalog.built_in_algorithms(self.accounts, search)})
