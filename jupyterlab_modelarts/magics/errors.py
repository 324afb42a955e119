"""The one error a magic reports: a line a person can act on, never a traceback by default."""

from __future__ import annotations

from typing import Any

from ..operations.errors import OperationError


class MagicError(Exception):
    """What went wrong, in the extension's error shape (code, message, field, upstream)."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        field: str | None = None,
        upstream: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.upstream = upstream

    @classmethod
    def from_body(cls, status: int, body: Any) -> MagicError:
        """From a REST error answer; bodies that are not in the extension's shape still give
        the HTTP status (a proxy's error page, a route the server does not have)."""
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            return cls("HTTP_ERROR", f"the Jupyter server answered HTTP {status}")
        return cls(
            str(error.get("code") or "HTTP_ERROR"),
            str(error.get("message") or f"HTTP {status}"),
            field=error.get("field"),
            upstream=error.get("upstream"),
        )

    @classmethod
    def from_operation(cls, error: OperationError) -> MagicError:
        return cls(error.code, error.message, field=error.field, upstream=error.upstream)

    def __str__(self) -> str:
        text = f"{self.code}: {self.message}"
        if self.field:
            text += f" (field {self.field})"
        upstream = self.upstream or {}
        details = [str(upstream["error_code"])] if upstream.get("error_code") else []
        if upstream.get("request_id"):
            details.append(f"request id {upstream['request_id']}")
        if details:
            text += f" [upstream {', '.join(details)}]"
        return text
