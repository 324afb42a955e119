"""The one error type the operations layer raises; handlers and magics render it."""

from __future__ import annotations

from typing import Any

from ..cloud.errors import CloudError, NetworkError, ValidationError

#: HTTP status the extension answers with, by cloud error family.
_STATUS_BY_FAMILY = {
    "validation": 400,
    "auth": 401,
    "not_found": 404,
    "conflict": 409,
    "quota": 409,
    "rate_limit": 429,
    "network": 502,
    "server": 502,
}


class OperationError(Exception):
    """A failure the user can act on: a code, a message, the field it concerns, and what the
    upstream service said (code, message, request id) when it came from there. ``params`` are
    the values the message is built from, so the front end can word it in the user's language
    from the code."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int = 400,
        field: str | None = None,
        upstream: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.field = field
        self.upstream = upstream
        self.params = params

    @classmethod
    def from_cloud(cls, error: CloudError, *, field: str | None = None) -> OperationError:
        upstream = None
        if error.error_code or error.request_id or error.status:
            upstream = {
                "error_code": error.error_code,
                "error_msg": error.message,
                "request_id": error.request_id,
                "status": error.status,
            }
        if isinstance(error, ValidationError) and error.status is None:
            status = 400
        else:
            status = _STATUS_BY_FAMILY.get(error.family, 502)
        code = {
            "auth": "AUTH_FAILED",
            "network": "UNREACHABLE",
        }.get(error.family, error.family.upper())
        message = error.message
        params = None
        if isinstance(error, NetworkError) and error.service:
            message = f"{error.service} is unreachable: {error.message}"
            params = {"service": error.service, "error": error.message}
        if isinstance(error, ValidationError) and error.wording:
            code, params = error.wording
        return cls(
            code,
            message,
            status=status,
            field=field or error.field,
            upstream=upstream,
            params=params,
        )

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        if self.upstream:
            body["upstream"] = self.upstream
        if self.params:
            body["params"] = self.params
        return body

    @classmethod
    def from_validation(cls, error: ValidationError, *, field: str | None = None) -> OperationError:
        """A request value the cloud library's schema refuses, on ``field`` (or the schema's):
        the rule's code and limits when it has them, else INVALID with its English."""
        code, params = error.wording or ("INVALID", None)
        return cls(code, error.message, field=field or error.field, params=params)


def not_a_choice(field: str, expected: str) -> OperationError:
    """A query or body value outside its few choices (``expected``: them, as the user writes
    them)."""
    return OperationError(
        "NOT_A_CHOICE", f"must be {expected}", field=field, params={"expected": expected}
    )


def not_a_whole_number(field: str, minimum: int | None = None) -> OperationError:
    if minimum is None:
        return OperationError("NOT_A_WHOLE_NUMBER", "must be a whole number", field=field)
    return OperationError(
        "NOT_A_WHOLE_NUMBER",
        f"must be a whole number, {minimum} or more",
        field=field,
        params={"minimum": minimum},
    )


def not_of_kind(kind: str, message: str) -> OperationError:
    """An operation id of another kind than the action needs (a launch retried as a
    deployment)."""
    return OperationError("WRONG_KIND", message, status=404, field="id", params={"kind": kind})


def invalid_id(field: str, reason: str, message: str) -> OperationError:
    """An id in a path that cannot be one (``reason``: not_an_id, too_long, not_a_job_id)."""
    return OperationError(
        "INVALID_ID", message, field=field, params={"name": field, "reason": reason}
    )
