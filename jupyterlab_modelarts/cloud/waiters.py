"""Waiting for a resource to reach a state: poll with a deadline and an adaptive interval
(short while things change, longer while they do not)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from .errors import TimeoutError

T = TypeVar("T")


class WaitTimeoutError(TimeoutError):
    """The deadline passed; ``last`` is the last value seen."""

    def __init__(self, message: str, last: Any) -> None:
        super().__init__(message)
        self.last = last


async def wait_until(
    fetch: Callable[[], Awaitable[T]],
    done: Callable[[T], bool],
    *,
    timeout: float = 600.0,
    interval: float = 1.0,
    max_interval: float = 15.0,
    growth: float = 1.5,
    key: Callable[[T], Any] | None = None,
    on_change: Callable[[T], Any] | None = None,
    describe: str = "the resource",
) -> T:
    """Call ``fetch`` until ``done(value)``; return that value.

    The interval starts at ``interval``, grows by ``growth`` up to ``max_interval`` while
    ``key(value)`` (the status, by default the value itself) stays the same, and drops back
    when it changes; ``on_change`` is called with each new value. Raises
    :class:`WaitTimeoutError` after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    state_of = key or (lambda value: value)
    delay = interval
    previous: Any = object()
    while True:
        value = await fetch()
        state = state_of(value)
        if state != previous:
            previous = state
            delay = interval
            if on_change is not None:
                on_change(value)
        if done(value):
            return value
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise WaitTimeoutError(
                f"{describe} did not reach the expected state within {timeout:g}s "
                f"(last state: {state})",
                value,
            )
        await asyncio.sleep(min(delay, remaining))
        delay = min(delay * growth, max_interval)
