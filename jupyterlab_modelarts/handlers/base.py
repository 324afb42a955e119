"""What every REST handler shares: authorization, JSON in and out, body limits, one error shape.

Bodies are streamed (``stream_request_body``): authentication happens on the headers, before a
byte of the body is kept; an unauthenticated body is dropped as it arrives, and one larger than
:data:`JSON_BODY_LIMIT` is refused with 413 without being buffered.
"""

from __future__ import annotations

import importlib
import json
import sys
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, cast

import tornado.web
from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin

from ..cloud.errors import CloudError
from ..operations.errors import OperationError, invalid_id
from ..whole_numbers import parse_whole_number

if TYPE_CHECKING:
    from ..extension import ModelArtsExtension
    from ..operations.accounts import Accounts

API_PREFIX = "/modelarts/api/v1"
AUTH_RESOURCE = "modelarts"
#: A path segment naming a resource (profile name, workspace id, ...).
ID = r"[^/]+"
#: Largest JSON body of a request: the largest real one (a profile, a launch) is a few KiB.
JSON_BODY_LIMIT = 256 * 1024
#: Longest path id: names are at most 64 characters, cloud ids 36, numbers 18 digits.
MAX_ID_LENGTH = 128


class _ImportedOnFirstUse:
    """Stands for a module until an attribute is asked for, then imports it. The import system
    does the import (thread-safe; other modules' own imports of it are untouched), so this only
    delays it."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)


def operations_module(name: str) -> Any:
    """``jupyterlab_modelarts.operations.<name>``, imported with the first request that uses
    it: the operations layer and the cloud schemas under it do not load while Jupyter starts
    (bench P8)."""
    return _ImportedOnFirstUse(f"{__package__.rpartition('.')[0]}.operations.{name}")


@tornado.web.stream_request_body
class ModelArtsHandler(ExtensionHandlerMixin, APIHandler):
    """Base of every route. Subclasses decorate each method with ``@tornado.web.authenticated``
    and ``@authorized`` and call the operations layer; errors raised there are rendered here."""

    auth_resource = AUTH_RESOURCE

    @property
    def modelarts(self) -> ModelArtsExtension:
        return cast("ModelArtsExtension", self.extensionapp)

    @property
    def accounts(self) -> Accounts:
        return self.modelarts.accounts

    _body_chunks: list[bytes] | None = None
    _body_size = 0

    async def prepare(self) -> None:  # type: ignore[override]
        await super().prepare()
        if self.current_user is None:
            return  # the method's @authenticated answers 403 before anything else is said
        # Only now is a body worth keeping (data_received drops what comes before).
        self._body_chunks = []
        declared = parse_whole_number(self.request.headers.get("Content-Length"))
        if declared is not None and declared > JSON_BODY_LIMIT:
            raise _body_too_large()
        # Tornado decodes path arguments, so "%2F" arrives as "/": an id must stay one segment
        # of the upstream path it is put into.
        for name, value in self.path_kwargs.items():
            if "/" in value or value in (".", ".."):
                raise invalid_id(name, "not_an_id", f"{name}: not a valid id")
            if len(value) > MAX_ID_LENGTH or (
                value.isascii() and value.isdigit() and parse_whole_number(value) is None
            ):
                raise invalid_id(name, "too_long", f"{name}: too long for an id")

    def data_received(self, chunk: bytes) -> None:
        if self._body_chunks is None:
            return
        self._body_size += len(chunk)
        if self._body_size <= JSON_BODY_LIMIT:
            self._body_chunks.append(chunk)
        else:
            self._body_chunks.clear()

    def json_body(self) -> dict[str, Any]:
        if self._body_size > JSON_BODY_LIMIT:
            raise _body_too_large()
        try:
            body = json.loads(b"".join(self._body_chunks or ()) or b"{}")
        except (ValueError, RecursionError):  # not JSON, nested too deeply, 4,300+ digits
            raise OperationError(
                "INVALID_JSON", "the request body is not valid JSON", params={"reason": "not_json"}
            ) from None
        if not isinstance(body, dict):
            raise OperationError(
                "INVALID_JSON",
                "the request body must be a JSON object",
                params={"reason": "not_an_object"},
            )
        return body

    def write_json(self, payload: Any, status: int = HTTPStatus.OK) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(payload))

    def _handle_request_exception(self, e: BaseException) -> None:
        if isinstance(e, CloudError):
            e = OperationError.from_cloud(e)
        # Loaded by then if it raised: request bodies' errors are field errors already, so this
        # is an upstream answer that is not the documented document (never echoed).
        pydantic = sys.modules.get("pydantic")
        if pydantic is not None and isinstance(e, pydantic.ValidationError):
            self.log.warning(
                "%s %s: unexpected upstream answer: %s", self.request.method, self.request.path, e
            )
            e = OperationError(
                "UPSTREAM_INVALID",
                "the service answered with something other than its documented JSON",
                status=502,
            )
        if isinstance(e, OperationError):
            self.log.info("%s %s: %s %s", self.request.method, self.request.path, e.code, e.message)
            if not self._finished:
                self.clear()
                self.write_json({"error": e.to_dict()}, status=e.status)
            return
        super()._handle_request_exception(e)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        # Tracebacks stay in the server log: an error body carries only what the user can act on.
        error = kwargs.get("exc_info", (None, None, None))[1]
        message = self._reason
        if isinstance(error, tornado.web.HTTPError) and error.log_message:
            message = error.log_message % error.args if error.args else error.log_message
        error_body = {"code": http_error_code(status_code), "message": message}
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"error": error_body}))


def _body_too_large() -> OperationError:
    return OperationError(
        "BODY_TOO_LARGE",
        f"the request body is larger than {JSON_BODY_LIMIT} bytes",
        status=413,
        params={"limit": JSON_BODY_LIMIT},
    )


def http_error_code(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).name
    except ValueError:
        return "HTTP_ERROR"
