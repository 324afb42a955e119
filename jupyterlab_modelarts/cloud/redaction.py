"""Keep credentials out of the HTTP stack's debug logs.

httpcore traces every request and response header at DEBUG level, including IAM tokens
(``X-Subject-Token``, ``X-Auth-Token``), security tokens and ``Authorization``. A filter on its
loggers replaces those values before any handler sees the record.
"""

from __future__ import annotations

import logging
import re

SENSITIVE_HEADERS = (
    "authorization",
    "x-auth-token",
    "x-subject-token",
    "x-security-token",
    "x-acs-security-token",
)
#: httpcore logs through child loggers; a filter on the parent would not see their records.
HTTPCORE_LOGGERS = (
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)
# A (name, value) header tuple as httpcore prints it: (b'Name', b'value').
_HEADER_PAIR = re.compile(
    r"\((b?)(['\"])(" + "|".join(SENSITIVE_HEADERS) + r")\2,\s*b?(['\"]).*?\4\)",
    re.IGNORECASE,
)


def redact(text: str) -> str:
    return _HEADER_PAIR.sub(lambda m: f"({m[1]}{m[2]}{m[3]}{m[2]}, '[redacted]')", text)


class SensitiveHeaderFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


_FILTER = SensitiveHeaderFilter()


def install_log_redaction() -> None:
    """Add the filter to httpcore's loggers (once; safe to call again)."""
    for name in HTTPCORE_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
