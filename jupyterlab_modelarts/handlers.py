"""REST handlers: parse, authorise, call the operations layer, serialise. Nothing more."""

from __future__ import annotations

import json
from http import HTTPStatus
from importlib.resources import files
from typing import TYPE_CHECKING, Any, cast

import tornado.web
from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin

from . import __version__
from .credentials import cloud_credentials_in_environment

if TYPE_CHECKING:
    from .extension import ModelArtsExtension

API_PREFIX = "/modelarts/api/v1"
AUTH_RESOURCE = "modelarts"


class ModelArtsHandler(ExtensionHandlerMixin, APIHandler):
    """Base of every route: jupyter_server authorization and one JSON error shape."""

    auth_resource = AUTH_RESOURCE

    @property
    def modelarts(self) -> ModelArtsExtension:
        return cast("ModelArtsExtension", self.extensionapp)

    def write_json(self, payload: Any, status: int = HTTPStatus.OK) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(payload))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        # Tracebacks stay in the server log: an error body carries only what the user can act on.
        error = kwargs.get("exc_info", (None, None, None))[1]
        message = self._reason
        if isinstance(error, tornado.web.HTTPError) and error.log_message:
            message = error.log_message % error.args if error.args else error.log_message
        self.set_header("Content-Type", "application/json")
        self.finish(
            json.dumps({"error": {"code": http_error_code(status_code), "message": message}})
        )


def http_error_code(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).name
    except ValueError:
        return "HTTP_ERROR"


class StatusHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        app = self.modelarts
        if app.backend == "local":
            local = await app.local_modelarts()
            status = {
                "project_id": local.config.project_id,
                "account": "Local ModelArts",
                "endpoint": local.base_url,
                "credentials_present": True,
            }
        else:
            status = {
                "project_id": app.project_id or None,
                "account": app.project_id or app.region,
                "endpoint": None,
                "credentials_present": cloud_credentials_in_environment(),
            }
        self.write_json(
            {"backend": app.backend, "region": app.region, "version": __version__, **status}
        )


class OpenAPIHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        self.write_json(openapi_document())


def openapi_document() -> dict[str, Any]:
    text = files(__package__).joinpath("openapi.json").read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    document["info"]["version"] = __version__
    return document


def routes() -> list[tuple[str, type[ModelArtsHandler]]]:
    return [
        (f"{API_PREFIX}/status", StatusHandler),
        (f"{API_PREFIX}/openapi.json", OpenAPIHandler),
    ]
