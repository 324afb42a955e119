"""Base class of every Local ModelArts handler: request ids, faults, authentication, body limits,
errors.

Bodies are streamed (``stream_request_body``), so that a request is judged on its headers before
its body is read: one larger than the route's limit (:data:`JSON_BODY_LIMIT` for the JSON APIs)
gets 413 and credentials that cannot be right get 401 without a byte of it buffered. Signatures
over the payload (AK/SK, ACS3) are then checked once the body is in, before the method runs.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import uuid
from collections.abc import Callable
from typing import Any, ClassVar

import tornado.web

from . import auth
from .auth import AuthScheme, Caller
from .context import EmulatorContext
from .errors import ApiError, Family, family_for_path, render
from .faults import Fault
from .obs_storage import ObjectStorage
from .store import Store

log = logging.getLogger(__name__)

#: Error code of a bare HTTP status (no route, wrong method, unhandled exception) per family.
_GENERIC_CODES: dict[Family, dict[int, str]] = {
    Family.OBS: {
        400: "InvalidArgument",
        403: "AccessDenied",
        404: "NoSuchKey",
        405: "MethodNotAllowed",
        413: "EntityTooLarge",
        429: "SlowDown",
        500: "InternalError",
        503: "ServiceUnavailable",
    },
    Family.PAI: {
        400: "ValidationError",
        404: "InvalidAction.NotFound",
        429: "Throttling.User",
        500: "InternalError",
    },
}
_MODELARTS_CODES = {
    400: "ModelArts.0107",
    401: "ModelArts.0201",
    403: "ModelArts.0108",
    404: "ModelArts.0102",
    405: "ModelArts.0105",
    409: "ModelArts.0105",
    413: "ModelArts.0107",
    429: "ModelArts.0114",
    500: "ModelArts.0010",
    504: "ModelArts.0012",
}


#: Largest body of a JSON API request; prediction and OBS routes set their own limits.
JSON_BODY_LIMIT = 1024 * 1024
_METHODS = ("get", "head", "post", "put", "patch", "delete", "options")


def _with_complete_request(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def run(self: EmulatorHandler, *args: Any, **kwargs: Any) -> Any:
        self.complete_request()
        return method(self, *args, **kwargs)

    return run


#: The "hostname" part of ModelArts request ids: the emulator, not the machine's name.
REQUEST_ID_HOST = "local-modelarts"


def _request_id(family: Family, now: float) -> str:
    """004 §3.3 X-request-id: "request_id-timestamp-hostname (request_id is the UUID generated
    on the server, timestamp indicates the current timestamp, and hostname is the name of the
    server that processes the current API.)"; OBS and PAI keep their own bare ids."""
    if family in (Family.OBS, Family.PAI):
        return uuid.uuid4().hex
    return f"{uuid.uuid4()}-{int(now * 1000)}-{REQUEST_ID_HOST}"


def generic_code(family: Family, status: int) -> str:
    if family is Family.IAM:
        return str(status)
    codes = _GENERIC_CODES.get(family, _MODELARTS_CODES)
    return codes.get(status, codes[500] if status >= 500 else codes[400])


@tornado.web.stream_request_body
class EmulatorHandler(tornado.web.RequestHandler):
    """Subclass per route; set ``family`` and ``auth_scheme``; raise :class:`ApiError`.

    By the time a ``get``/``post``/... method runs, the caller is authenticated
    (``self.caller``) and any injected fault has been applied.
    """

    family: ClassVar[Family] = Family.MODELARTS
    auth_scheme: ClassVar[AuthScheme] = AuthScheme.MODELARTS
    #: Code of field-validation errors raised through :meth:`invalid`.
    validation_code: ClassVar[str] = "ModelArts.0107"
    #: Whether injected faults apply to this route.
    faults_apply: ClassVar[bool] = True
    #: Whether authentication checks the body (payload signatures): then the headers are
    #: checked first and the rest once the body is in. A route whose authentication needs no
    #: body (OBS: the payload hash is checked by the route) authenticates fully up front.
    authenticate_after_body: ClassVar[bool] = True

    ctx: EmulatorContext
    caller: Caller
    request_id: str

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in _METHODS:
            if name in cls.__dict__:
                setattr(cls, name, _with_complete_request(cls.__dict__[name]))

    def initialize(self, ctx: EmulatorContext) -> None:
        self.ctx = ctx
        self._client_gone = asyncio.Event()
        self.caller = auth.ANONYMOUS
        self.request_id = _request_id(self.family, ctx.now())
        self._chunks: list[bytes] = []
        self._received = 0
        self._completed = False

    def body_limit(self) -> int:
        """Largest body this route accepts."""
        return JSON_BODY_LIMIT

    @property
    def store(self) -> Store:
        return self.ctx.store

    @property
    def obs(self) -> ObjectStorage:
        return self.ctx.obs

    def set_default_headers(self) -> None:
        self.clear_header("Server")
        self.set_header("Server", "local-modelarts")

    async def prepare(self) -> None:
        self.set_header("X-Request-Id", self.request_id)
        if self.faults_apply:
            fault = self.ctx.faults.take(self.request.method or "GET", self.request.path)
            if fault is not None:
                await self._apply_fault(fault)
        declared = self.request.headers.get("Content-Length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > self.body_limit():
            raise self._too_large()
        if self.authenticate_after_body:
            auth.check_headers(self.ctx, self.request, self.auth_scheme)
        else:
            self.caller = self.authenticate()

    def data_received(self, chunk: bytes) -> None:
        # Counted even when dropped: a chunked body has no Content-Length to refuse up front.
        self._received += len(chunk)
        if self._received <= self.body_limit():
            self._chunks.append(chunk)
        else:
            self._chunks.clear()

    def complete_request(self) -> None:
        """Once the body is in (before the route's method): the body, and the authentication
        that needs it."""
        if self._completed:
            return
        self._completed = True
        if self._received > self.body_limit():
            raise self._too_large()
        self.request.body = b"".join(self._chunks)
        self._chunks.clear()
        if self.authenticate_after_body:
            self.caller = self.authenticate()

    def _too_large(self) -> ApiError:
        return ApiError(
            413,
            generic_code(self.family, 413),
            f"The request body is larger than this API accepts ({self.body_limit()} bytes).",
        )

    def authenticate(self) -> Caller:
        scheme = self.auth_scheme
        if scheme is AuthScheme.NONE:
            return auth.ANONYMOUS
        if scheme is AuthScheme.MODELARTS:
            return auth.authenticate_modelarts(self.ctx, self.request, project_scoped=True)
        if scheme is AuthScheme.IAM:
            return auth.authenticate_modelarts(self.ctx, self.request, project_scoped=False)
        if scheme is AuthScheme.PAI:
            return auth.authenticate_pai(self.ctx, self.request)
        if scheme is AuthScheme.ADMIN:
            return auth.authenticate_admin(self.ctx, self.request)
        raise NotImplementedError(
            f"{type(self).__name__} must override authenticate() for {scheme}"
        )

    # --- request and response helpers --------------------------------------------------------

    def invalid(self, message: str) -> ApiError:
        """A 400 field-validation error in this handler's family; ``raise self.invalid(...)``."""
        return ApiError(400, self.validation_code, message)

    def json_body(self) -> dict[str, Any]:
        """The request body as a JSON object (400 if it is anything else)."""
        if not self.request.body:
            raise self.invalid("The request body is empty; a JSON object is required.")
        try:
            body = json.loads(self.request.body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise self.invalid(f"The request body is not valid JSON: {exc}") from None
        except (RecursionError, ValueError):  # nesting too deep, a number of 4,300+ digits
            raise self.invalid(
                "The request body is not JSON this API accepts: nested too deeply or a number "
                "too long."
            ) from None
        if not isinstance(body, dict):
            raise self.invalid("The request body must be a JSON object.")
        return body

    def send_json(self, document: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.finish(json.dumps(document, ensure_ascii=False))

    # --- errors ------------------------------------------------------------------------------

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, ApiError):
            error = exc
        elif isinstance(exc, tornado.web.HTTPError):
            family = self.family if self._route_owned() else family_for_path(self.request.path)
            error = ApiError(
                status_code, generic_code(family, status_code), exc.log_message or self._reason
            )
        else:
            error = ApiError(
                status_code,
                generic_code(self.family, status_code),
                "Internal error of Local ModelArts.",
            )
        family = error.family or self.family
        for name, value in error.headers.items():
            self.set_header(name, value)
        if family is Family.OBS:
            self.set_header("x-obs-request-id", self.request_id)
            self.set_header("x-amz-request-id", self.request_id)
        content_type, body = render(family, error, self.request_id)
        self.set_header("Content-Type", content_type)
        if self.request.method == "HEAD":
            self.finish()
        else:
            self.finish(body)

    def send_error(self, status_code: int = 500, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, ApiError):
            status_code = exc.status
        super().send_error(status_code, **kwargs)

    def clear(self) -> None:
        # send_error() clears every header; the request id must survive it.
        super().clear()
        if hasattr(self, "request_id"):
            self.set_header("X-Request-Id", self.request_id)

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if isinstance(value, ApiError):
            log.info(
                "%s %s -> %s %s", self.request.method, self.request.path, value.status, value.code
            )
        else:
            super().log_exception(typ, value, tb)

    def on_connection_close(self) -> None:
        self._client_gone.set()

    def _route_owned(self) -> bool:
        return type(self) is not NotFoundHandler

    # --- faults ------------------------------------------------------------------------------

    async def _apply_fault(self, fault: Fault) -> None:
        family = self.family if self._route_owned() else family_for_path(self.request.path)
        if fault.kind == "latency":
            await asyncio.sleep(fault.delay_seconds or 0)
        elif fault.kind == "token_expiry":
            auth.expire_tokens(self.ctx)
        elif fault.kind == "drop":
            self.request.connection.close()  # type: ignore[union-attr]
            raise tornado.web.Finish()
        elif fault.kind == "timeout":
            await asyncio.sleep(3600 if fault.delay_seconds is None else fault.delay_seconds)
            raise ApiError(
                504, fault.code or generic_code(family, 504), fault.message, family=family
            )
        elif fault.kind == "rate_limit":
            raise ApiError(
                fault.status,
                fault.code or generic_code(family, 429),
                fault.message,
                family=family,
                headers=rate_limit_headers(fault.retry_after_seconds),
            )
        else:
            raise ApiError(
                fault.status,
                fault.code or generic_code(family, fault.status),
                fault.message,
                family=family,
            )


class NotFoundHandler(EmulatorHandler):
    """Every path no module claims: 404 in the family the path belongs to."""

    auth_scheme = AuthScheme.NONE

    async def prepare(self) -> None:
        await super().prepare()
        family = family_for_path(self.request.path)
        raise ApiError(
            404,
            generic_code(family, 404),
            f"No API at {self.request.method} {self.request.path}.",
            family=family,
        )


class RetiredApiHandler(EmulatorHandler):
    """An API the cloud being played does not offer (v1 training on Huawei Cloud): 404 from
    the API gateway, ``APIG.0101`` with the gateway's wording, before any authentication."""

    auth_scheme = AuthScheme.NONE
    faults_apply = False

    async def prepare(self) -> None:
        await super().prepare()
        self.set_status(404)
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.finish(
            json.dumps(
                {
                    "error_code": "APIG.0101",
                    "error_msg": "The API does not exist or has not been published in the "
                    "environment",
                    "request_id": self.request_id,
                }
            )
        )


def rate_limit_headers(retry_after_seconds: int | None) -> dict[str, str]:
    """004 §3.3: the window's request count, what is left of it ("X-ratelimit-used" carries the
    *remaining* requests, despite its name) and the window's unit."""
    headers = {"X-ratelimit": "100", "X-ratelimit-used": "0", "X-ratelimit-window": "minute"}
    if retry_after_seconds is not None:
        headers["Retry-After"] = str(retry_after_seconds)
    return headers
