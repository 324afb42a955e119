"""The server's event bus: every change the browser should see, in order, with ids.

Watchers and long operations publish; each browser tab subscribes once through the event stream
handler. A reconnecting tab sends the id of the last event it saw and gets what it missed from a
bounded replay buffer (or a ``resync`` event telling it to reload when that was too long ago).
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any

REPLAY_EVENTS = 2000


@dataclass(frozen=True)
class Event:
    id: int
    type: str
    data: dict[str, Any]

    @cached_property
    def frame(self) -> str:
        """The event as a Server-Sent Events frame: encoded once, however many tabs get it."""
        payload = json.dumps(self.data, separators=(",", ":"))
        return f"id: {self.id}\nevent: {self.type}\ndata: {payload}\n\n"


class Subscription:
    def __init__(self, backlog: list[Event]) -> None:
        self._queue: asyncio.Queue[Event] = asyncio.Queue()
        for event in backlog:
            self._queue.put_nowait(event)

    def deliver(self, event: Event) -> None:
        self._queue.put_nowait(event)

    def queued(self) -> list[Event]:
        """The events already waiting, in order, without waiting for more."""
        waiting = []
        while not self._queue.empty():
            waiting.append(self._queue.get_nowait())
        return waiting

    async def next(self, timeout: float) -> Event | None:
        """The next event, or None when nothing happened within ``timeout`` seconds."""
        try:
            return await asyncio.wait_for(self._queue.get(), timeout)
        except asyncio.TimeoutError:
            return None


class EventBus:
    def __init__(self, replay: int = REPLAY_EVENTS) -> None:
        self._ids = itertools.count(1)
        self._recent: deque[Event] = deque(maxlen=replay)
        self._subscriptions: set[Subscription] = set()
        self._listeners: list[Callable[[int], None]] = []

    @property
    def subscriber_count(self) -> int:
        return len(self._subscriptions)

    def on_subscribers_changed(self, listener: Callable[[int], None]) -> None:
        """Call ``listener(count)`` whenever a tab connects or leaves (watchers start and stop)."""
        self._listeners.append(listener)

    def publish(self, type: str, data: dict[str, Any]) -> Event:
        event = Event(next(self._ids), type, data)
        self._recent.append(event)
        for subscription in self._subscriptions:
            subscription.deliver(event)
        return event

    def _backlog(self, last_event_id: int | None) -> list[Event]:
        if last_event_id is None:
            return []
        oldest = self._recent[0].id if self._recent else None
        if oldest is not None and last_event_id < oldest - 1:
            # What the tab missed is no longer buffered: it must reload its lists.
            return [Event(self._recent[-1].id, "resync", {"reason": "missed events"})]
        return [event for event in self._recent if event.id > last_event_id]

    @asynccontextmanager
    async def subscribe(self, last_event_id: int | None = None) -> AsyncIterator[Subscription]:
        subscription = Subscription(self._backlog(last_event_id))
        self._subscriptions.add(subscription)
        self._notify()
        try:
            yield subscription
        finally:
            self._subscriptions.discard(subscription)
            self._notify()

    def _notify(self) -> None:
        for listener in self._listeners:
            listener(len(self._subscriptions))
