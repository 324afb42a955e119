"""How long a call may take and when it is tried again.

A call's *kind* decides both: reads and deletes are idempotent and retried on any transient
failure; a create is retried only after it has been reconciled (looked up by name) so nothing is
created twice; other writes (updates that are not idempotent, actions such as start/stop) are
retried only when the server certainly did not act on them (connection refused, 429, 503).
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass


class CallKind(enum.Enum):
    READ = "read"
    UPDATE = "update"  # PUT of a whole description: repeating it changes nothing
    DELETE = "delete"
    CREATE = "create"
    ACTION = "action"  # start/stop/restart...: a repeat may fail on the new state

    @property
    def idempotent(self) -> bool:
        return self in (CallKind.READ, CallKind.UPDATE, CallKind.DELETE)


@dataclass(frozen=True)
class Timeouts:
    """Seconds. ``read`` covers GETs, ``write`` updates/deletes/actions, ``create`` creates
    (which may take the server longer). ``connect`` applies to every call."""

    connect: float = 10.0
    read: float = 30.0
    write: float = 60.0
    create: float = 60.0

    def for_kind(self, kind: CallKind) -> float:
        if kind is CallKind.READ:
            return self.read
        if kind is CallKind.CREATE:
            return self.create
        return self.write


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter; a server's ``Retry-After`` is honoured up to
    ``max_retry_after`` (a longer wait is reported as a RateLimitError instead)."""

    max_attempts: int = 4
    base_delay: float = 0.2
    max_delay: float = 10.0
    max_retry_after: float = 60.0
    #: Wait at least this long before looking up a create whose outcome is unknown, so that a
    #: request still being processed upstream has landed by then.
    reconcile_delay: float = 2.0
    retry_statuses_idempotent: frozenset[int] = frozenset({500, 502, 503, 504})
    retry_statuses_always: frozenset[int] = frozenset({429, 503})

    def backoff(self, attempt: int) -> float:
        """Delay before retry number ``attempt`` (1-based)."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter, not security

    def delay(self, attempt: int, retry_after: float | None) -> float | None:
        """Seconds to wait before the next attempt, or None if the caller should give up."""
        if attempt >= self.max_attempts:
            return None
        if retry_after is not None:
            if retry_after > self.max_retry_after:
                return None
            return max(retry_after, 0.0)
        return self.backoff(attempt)


NO_RETRY = RetryPolicy(max_attempts=1)
