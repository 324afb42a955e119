"""Following a job's log by lines while it runs, as both training API generations allow:
each read returns up to ``batch`` lines after a line marker and the marker of its last line."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Protocol


class LineChunk(Protocol):
    content: str
    lines: int | None
    start_line: str | None
    end_line: str | None


async def follow_lines(
    read: Callable[[str | None, int], Awaitable[LineChunk]],
    finished: Callable[[], Awaitable[bool]],
    *,
    from_start: bool = True,
    poll_interval: float = 1.0,
    batch: int = 500,
) -> AsyncIterator[str]:
    """Yield the lines ``read(base_line, batch)`` returns, until ``finished()`` is true and a
    last read finds nothing new. ``from_start=False`` starts at the last lines."""
    base_line: str | None = "0" if from_start else None
    while True:
        chunk = await read(base_line, batch)
        if chunk.lines:
            for line in chunk.content.splitlines():
                yield line
            base_line = chunk.end_line or base_line
            if (chunk.lines or 0) >= batch:
                continue  # more is waiting: read on without pausing
        elif base_line is None:
            base_line = "0"
        if await finished():
            tail = await read(base_line, batch)
            if not tail.lines:
                return
            for line in tail.content.splitlines():
                yield line
            base_line = tail.end_line or base_line
            continue
        await asyncio.sleep(poll_interval)
