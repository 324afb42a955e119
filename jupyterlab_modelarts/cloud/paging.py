"""Async iterators over the paged list APIs.

The families page differently (``offset``/``limit`` by record or by page, ``page``/``per_page``
from 1, ``PageNumber``/``PageSize``); each API group turns a 0-based page index into its own
parameters and hands :func:`paginate` a function that fetches one page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Generic, NamedTuple, TypeVar

T = TypeVar("T")


class Page(NamedTuple, Generic[T]):
    items: list[T]
    total: int | None


async def paginate(
    fetch: Callable[[int], Awaitable[Page[T]]], page_size: int, *, limit: int | None = None
) -> AsyncIterator[T]:
    """Yield items page after page until a short or empty page, the reported total, or
    ``limit`` items."""
    seen = 0
    index = 0
    while True:
        page = await fetch(index)
        for item in page.items:
            yield item
            seen += 1
            if limit is not None and seen >= limit:
                return
        if len(page.items) < page_size or (page.total is not None and seen >= page.total):
            return
        index += 1


async def first(items: AsyncIterator[T], matches: Callable[[T], bool]) -> T | None:
    """The first of ``items`` that ``matches`` (a create's reconcile by name), or None."""
    async for item in items:
        if matches(item):
            return item
    return None
