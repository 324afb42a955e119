"""Watchers: one per profile and resource kind, however many tabs are open.

A watcher polls its list call, fast while any item is in a transitional state and slowly
otherwise, diffs the result with what it saw before and publishes each change on the event bus
as a ``resource`` event. REST list calls are answered from its snapshot when that is recent, and
concurrent refreshes share one upstream call, so upstream traffic does not grow with tabs.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from ..cloud.errors import CloudError
from ..events import EventBus
from .errors import OperationError

Item = dict[str, Any]
Fetch = Callable[[], Awaitable[list[Item]]]


@dataclass(frozen=True)
class PollIntervals:
    #: Seconds between polls while an item is changing state.
    active: float = 2.0
    #: Seconds between polls otherwise.
    idle: float = 30.0


class ResourceWatcher:
    def __init__(
        self,
        bus: EventBus,
        *,
        kind: str,
        profile: str,
        fetch: Fetch,
        is_transitional: Callable[[Item], bool],
        intervals: Callable[[], PollIntervals],
        key: str = "id",
    ) -> None:
        self.kind = kind
        self.profile = profile
        self._bus = bus
        self._fetch = fetch
        self._is_transitional = is_transitional
        self._intervals = intervals
        self._key = key
        self.items: dict[str, Item] = {}
        self.refreshed_at: float | None = None
        #: When the last poll ended, whether it succeeded or failed.
        self._polled_at = 0.0
        self.upstream_calls = 0
        self._inflight: asyncio.Future[list[Item]] | None = None
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # -- snapshot ---------------------------------------------------------------------------

    async def snapshot(self, max_age: float) -> list[Item]:
        """The items, refreshed first when the snapshot is older than ``max_age`` seconds."""
        if self.refreshed_at is None or time.monotonic() - self.refreshed_at > max_age:
            return await self.refresh()
        return list(self.items.values())

    async def refresh(self) -> list[Item]:
        """Poll now; callers that arrive while a poll is running share its result."""
        if self._inflight is None:
            self._inflight = asyncio.ensure_future(self._poll())
            self._inflight.add_done_callback(self._clear_inflight)
        return await asyncio.shield(self._inflight)

    def _clear_inflight(self, _: asyncio.Future[list[Item]]) -> None:
        self._inflight = None

    async def _poll(self) -> list[Item]:
        self.upstream_calls += 1
        try:
            fetched = await self._fetch()
        finally:
            self._polled_at = time.monotonic()
        fresh = {str(item[self._key]): item for item in fetched}
        for item_id, item in fresh.items():
            if self.items.get(item_id) != item:
                self._publish("upsert", item_id, item)
        for item_id in self.items.keys() - fresh.keys():
            self._publish("remove", item_id, None)
        self.items = fresh
        self.refreshed_at = time.monotonic()
        return list(fresh.values())

    def _publish(self, change: str, item_id: str, item: Item | None) -> None:
        self._bus.publish(
            "resource",
            {
                "kind": self.kind,
                "profile": self.profile,
                "change": change,
                "id": item_id,
                "item": item,
            },
        )

    # -- background polling -----------------------------------------------------------------

    def poke(self) -> None:
        """Poll soon: a user action has just changed something, so the next snapshot is read
        afresh (a job just deleted must not be listed from the last one)."""
        self.refreshed_at = None
        self._wake.set()

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._run())

    def cancel(self) -> None:
        """Stop polling in the background (nobody is listening)."""
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            try:
                await self.refresh()
                failed = False
            except (CloudError, OperationError) as error:
                # Shown to the tabs; the next poll may succeed (e.g. after a network blip).
                self._bus.publish(
                    "resource_error",
                    {"kind": self.kind, "profile": self.profile, "message": error.message},
                )
                failed = True
            await self._next_poll_due(failed)

    async def _next_poll_due(self, failed: bool) -> None:
        """Return on a poke, or an interval after the last poll, whoever made it: a list
        request that found the snapshot out of date has polled in this loop's place, so tabs
        opening (each listing first) add no polls to the ones the loop makes."""
        while True:
            polled_at = self._polled_at
            busy = not failed and any(self._is_transitional(i) for i in self.items.values())
            intervals = self._intervals()
            remaining = polled_at + (intervals.active if busy else intervals.idle)
            remaining -= time.monotonic()
            if remaining <= 0:
                return
            try:
                await asyncio.wait_for(self._wake.wait(), remaining)
                return
            except asyncio.TimeoutError:
                if self._polled_at == polled_at:
                    return
            failed = False


class Watchers:
    """Every watcher of the server; they poll in the background only while a tab listens."""

    def __init__(self, bus: EventBus, intervals: Callable[[], PollIntervals]) -> None:
        self._bus = bus
        self._intervals = intervals
        self._watchers: dict[tuple[str, str], ResourceWatcher] = {}
        bus.on_subscribers_changed(self._subscribers_changed)

    def get(
        self,
        kind: str,
        profile: str,
        fetch: Fetch,
        is_transitional: Callable[[Item], bool],
        key: str = "id",
    ) -> ResourceWatcher:
        """The watcher of ``kind`` for ``profile``, made on first use."""
        watcher = self._watchers.get((profile, kind))
        if watcher is None:
            watcher = ResourceWatcher(
                self._bus,
                kind=kind,
                profile=profile,
                fetch=fetch,
                is_transitional=is_transitional,
                intervals=self._intervals,
                key=key,
            )
            self._watchers[(profile, kind)] = watcher
            if self._bus.subscriber_count:
                watcher.start()
        return watcher

    async def forget_profile(self, profile: str) -> None:
        """Drop a profile's watchers (signed out, or its credentials changed)."""
        for key in [key for key in self._watchers if key[0] == profile]:
            await self._watchers.pop(key).stop()

    def _subscribers_changed(self, count: int) -> None:
        for watcher in self._watchers.values():
            if count and not watcher.running:
                watcher.start()
            elif not count and watcher.running:
                watcher.cancel()

    async def close(self) -> None:
        for watcher in self._watchers.values():
            await watcher.stop()
        self._watchers.clear()
