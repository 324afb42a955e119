"""``/status`` and ``/openapi.json``."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import tornado.web
from jupyter_server.auth.decorator import authorized

from .. import __version__
from ..accounts.backend import Backend
from ..cloud import clouds
from .base import ModelArtsHandler


class StatusHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        accounts = self.accounts
        profile = accounts.active()
        # The check first: it looks up the project id that the description then reports.
        connection = await accounts.check(profile)
        view = await accounts.describe(profile)
        credentials = view["credentials"]
        if profile.backend is Backend.LOCAL:
            account = "Local ModelArts"
        else:
            account = credentials.get("user") or credentials.get("key_id") or profile.name
        self.write_json(
            {
                "backend": "local" if profile.backend is Backend.LOCAL else "cloud",
                "profile": profile.name,
                "profile_backend": profile.backend.value,
                "cloud": view["cloud"],
                "cloud_label": clouds.cloud(view["cloud"]).label,
                "training_api": view["training_api"],
                "region": profile.region,
                "project_id": view["project_id"],
                "workspace_id": view["workspace_id"],
                "account": account,
                "endpoint": view["endpoints"].get("modelarts"),
                "credentials_present": credentials["present"],
                "credentials": credentials,
                "connection": connection,
                "version": __version__,
            }
        )


class OpenAPIHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        self.write_json(openapi_document())


def openapi_document() -> dict[str, Any]:
    package = __package__.rpartition(".")[0]
    text = files(package).joinpath("openapi.json").read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    document["info"]["version"] = __version__
    return document
