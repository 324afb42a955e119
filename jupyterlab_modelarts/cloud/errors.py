"""One exception hierarchy for every cloud API the library talks to.

Every upstream failure becomes a :class:`CloudError` subclass chosen by its family (auth, not
found, conflict/state, quota, validation, rate limit, server, network), carrying the HTTP status,
the upstream ``error_code``, the upstream message and the request id, whatever shape the
service used to report it (ModelArts ``error_msg``/``error_message``, training ``is_success``,
Keystone ``{"error": {...}}``, PAI ``Code``/``Message``, ...).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .error_codes import ERROR_CODES, Family, describe

__all__ = [
    "ApiError",
    "AuthError",
    "CloudError",
    "ConflictError",
    "NetworkError",
    "NotFoundError",
    "QuotaError",
    "RateLimitError",
    "ServerError",
    "TimeoutError",
    "ValidationError",
    "error_from_response",
]


class CloudError(Exception):
    """Base of every error raised by :mod:`jupyterlab_modelarts.cloud`."""

    family: Family = "server"

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        error_code: str | None = None,
        request_id: str | None = None,
        field: str | None = None,
        service: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.error_code = error_code
        self.request_id = request_id
        self.field = field
        self.service = service

    def __str__(self) -> str:
        parts = []
        if self.error_code:
            parts.append(f"[{self.error_code}]")
        if self.field:
            parts.append(f"{self.field}:")
        parts.append(self.message)
        extra = []
        if self.status is not None:
            extra.append(f"HTTP {self.status}")
        if self.request_id:
            extra.append(f"request id {self.request_id}")
        if extra:
            parts.append(f"({', '.join(extra)})")
        return " ".join(parts)

    def localized(self, language: str = "en") -> str:
        """The documented meaning of the error code in ``language`` ("en" or "zh"), else the
        upstream message."""
        described = describe(self.error_code, language) if self.error_code else None
        if described and described != self.message:
            return f"{described} ({self.message})" if self.message else described
        return self.message

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view (no secrets: only what the upstream service told us)."""
        return {
            "family": self.family,
            "message": self.message,
            "status": self.status,
            "error_code": self.error_code,
            "request_id": self.request_id,
            "field": self.field,
            "service": self.service,
        }


class ValidationError(CloudError, ValueError):
    """The request is invalid: found client-side before sending (``status`` is None) or
    rejected upstream as a bad parameter. ``field`` names the offending field when known.

    Also a ValueError, so that a nested request model failing inside another one is reported
    with its full field path."""

    family: Family = "validation"
    #: What the front end words a field error found before sending from (see
    #: :mod:`.field_errors`), when it has a code.
    wording: tuple[str, dict[str, Any]] | None = None


class ApiError(CloudError):
    """The upstream service answered with an error outside the other families."""


class AuthError(CloudError):
    """Missing, wrong or expired credentials, or no permission."""

    family: Family = "auth"


class NotFoundError(CloudError):
    family: Family = "not_found"


class ConflictError(CloudError):
    """The resource exists already or is in a state that does not allow the operation."""

    family: Family = "conflict"


class QuotaError(CloudError):
    family: Family = "quota"


class RateLimitError(CloudError):
    """HTTP 429 / ``ModelArts.0114``; ``retry_after`` is in seconds when the server said."""

    family: Family = "rate_limit"

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(CloudError):
    family: Family = "server"


class NetworkError(CloudError):
    """The request did not get an HTTP answer (connection refused or dropped, DNS, TLS)."""

    family: Family = "network"


class TimeoutError(NetworkError):
    """No answer within the call's timeout; for a write the outcome upstream is unknown."""


_FAMILY_CLASSES: dict[Family, type[CloudError]] = {
    "auth": AuthError,
    "not_found": NotFoundError,
    "conflict": ConflictError,
    "quota": QuotaError,
    "validation": ValidationError,
    "rate_limit": RateLimitError,
    "server": ServerError,
    "network": NetworkError,
}

_STATUS_FAMILIES: dict[int, Family] = {
    400: "validation",
    401: "auth",
    403: "auth",
    404: "not_found",
    405: "validation",
    409: "conflict",
    410: "not_found",
    412: "conflict",
    413: "validation",
    414: "validation",
    415: "validation",
    422: "validation",
    429: "rate_limit",
}

_PAI_CODE_FAMILIES: dict[str, Family] = {
    "ValidationError": "validation",
    "InvalidParameter": "validation",
    "MissingParameter": "validation",
    "NotFound": "not_found",
    "InstanceNotFound": "not_found",
    "Forbidden": "auth",
    "InvalidAccessKeyId.NotFound": "auth",
    "SignatureDoesNotMatch": "auth",
    "IncompleteSignature": "auth",
    "Throttling": "rate_limit",
    "Throttling.User": "rate_limit",
    "QuotaExceeded": "quota",
}  # PAI's catch-all "InternalError" comes with a meaningful HttpStatusCode: the status decides

_MESSAGE_KEYS = ("error_msg", "error_message", "errorMsg", "errorMessage", "message", "Message")
_CODE_KEYS = ("error_code", "errorCode", "code", "Code")
_REQUEST_ID_KEYS = ("request_id", "RequestId", "requestId")
_REQUEST_ID_HEADERS = (
    "x-request-id",
    "x-acs-request-id",
    "x-iam-trace-id",
    "x-openstack-request-id",
)


def _first_text(source: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = source.get(key)
        if value is not None and value != "" and value != "null":
            return str(value)
    return None


def parse_error_body(body: Any) -> tuple[str | None, str | None, str | None]:
    """(error_code, message, request_id) from any documented error body shape."""
    if isinstance(body, (bytes, str)):
        try:
            body = json.loads(body) if body else None
        except ValueError:
            # Not the documented JSON (a proxy's or portal's page): not repeated to the user,
            # who gets the status and the service instead.
            return None, None, None
    if not isinstance(body, Mapping):
        return None, None, None
    # Keystone/IAM: {"error": {"code": 401, "message": "...", "title": "Unauthorized"}}
    nested = body.get("error")
    if isinstance(nested, Mapping):
        code, message, request_id = parse_error_body(nested)
        if isinstance(nested.get("code"), int):
            code = None  # Keystone puts the HTTP status there, not an error code
        return (
            code,
            message or _first_text(nested, ("title",)),
            request_id or _first_text(body, _REQUEST_ID_KEYS),
        )
    return (
        _first_text(body, _CODE_KEYS),
        _first_text(body, _MESSAGE_KEYS),
        _first_text(body, _REQUEST_ID_KEYS),
    )


def request_id_from_headers(headers: Mapping[str, str]) -> str | None:
    for name in _REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return value
    return None


#: The flow control units of ``X-ratelimit-window`` (004 §3.3), in seconds.
RATE_LIMIT_WINDOWS = {"minute": 60.0, "hour": 3600.0, "day": 86400.0}


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait, from ``Retry-After`` (seconds or an HTTP date), else from the
    ``X-ratelimit*`` headers: nothing left in the window means waiting for the next one."""
    value = headers.get("retry-after")
    if not value:
        # 004 §3.3: "X-ratelimit-used" carries the number of *remaining* requests.
        if (headers.get("x-ratelimit-used") or "").strip() == "0":
            window = (headers.get("x-ratelimit-window") or "hour").strip().lower()
            return RATE_LIMIT_WINDOWS.get(window, RATE_LIMIT_WINDOWS["hour"])
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    from datetime import datetime, timezone

    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def family_of(status: int | None, error_code: str | None) -> Family:
    """The error family: the documented code decides first, then the HTTP status."""
    if error_code:
        known = ERROR_CODES.get(error_code)
        if known is not None:
            return known.family
        if error_code in _PAI_CODE_FAMILIES:
            return _PAI_CODE_FAMILIES[error_code]
        if error_code.startswith("APIGW.") and status in (401, 403):
            return "auth"
    if status is None:
        return "server"
    if status in _STATUS_FAMILIES:
        return _STATUS_FAMILIES[status]
    if status >= 500:
        return "server"
    return "validation" if 400 <= status < 500 else "server"


def error_from_response(
    status: int,
    headers: Mapping[str, str],
    body: Any,
    *,
    service: str | None = None,
) -> CloudError:
    """Build the right :class:`CloudError` for an upstream error answer."""
    code, message, body_request_id = parse_error_body(body)
    request_id = body_request_id or request_id_from_headers(headers)
    if isinstance(body, Mapping) and isinstance(body.get("HttpStatusCode"), int):
        status = max(status, body["HttpStatusCode"])  # PAI may say 200 on the wire
    family = family_of(status, code)
    if not message:
        message = describe(code, "en") if code else None
        message = message or f"HTTP {status} from {service or 'the service'}"
    kwargs: dict[str, Any] = {
        "status": status,
        "error_code": code,
        "request_id": request_id,
        "service": service,
    }
    if family == "rate_limit":
        return RateLimitError(message, retry_after=parse_retry_after(headers), **kwargs)
    cls = _FAMILY_CLASSES.get(family, ApiError)
    return cls(message, **kwargs)
