"""Watchers: changes become events, tabs share upstream calls, polling follows activity."""

from __future__ import annotations

import asyncio
import time

from jupyterlab_modelarts.events import EventBus
from jupyterlab_modelarts.operations.watch import PollIntervals, Watchers


class FakeList:
    """An upstream list call whose answer the test changes; counts calls."""

    def __init__(self, items):
        self.items = items
        self.calls = 0
        self.called_at: list[float] = []
        self.gate: asyncio.Event | None = None

    async def __call__(self):
        self.calls += 1
        self.called_at.append(time.monotonic())
        if self.gate is not None:
            await self.gate.wait()
        return [dict(item) for item in self.items]


def transitional(item):
    return item["status"] in ("CREATING", "STARTING", "STOPPING")


async def next_event(subscription, deadline=5.0):
    event = await subscription.next(deadline)
    assert event is not None, "no event before the deadline"
    return event


async def test_changes_are_published_once_each_as_upserts_and_removals():
    bus = EventBus()
    upstream = FakeList([{"id": "a", "status": "CREATING"}])
    watchers = Watchers(bus, lambda: PollIntervals(active=60, idle=60))
    watcher = watchers.get("notebooks", "local", upstream, transitional)
    async with bus.subscribe() as tab:
        await watcher.refresh()
        event = await next_event(tab)
        assert event.type == "resource"
        assert event.data["change"] == "upsert" and event.data["id"] == "a"

        await watcher.refresh()  # nothing changed: nothing published
        assert await tab.next(0.05) is None

        upstream.items = [{"id": "b", "status": "RUNNING"}]
        await watcher.refresh()
        changes = {
            (e.data["change"], e.data["id"]) for e in [await next_event(tab), await next_event(tab)]
        }
        assert changes == {("upsert", "b"), ("remove", "a")}
    await watchers.close()


async def test_ten_tabs_asking_at_once_cause_one_upstream_call():
    bus = EventBus()
    upstream = FakeList([{"id": "a", "status": "RUNNING"}])
    upstream.gate = asyncio.Event()
    watchers = Watchers(bus, lambda: PollIntervals(active=60, idle=60))
    watcher = watchers.get("notebooks", "local", upstream, transitional)
    lists = [asyncio.ensure_future(watcher.snapshot(max_age=5)) for _ in range(10)]
    await asyncio.sleep(0)
    upstream.gate.set()
    results = await asyncio.gather(*lists)
    assert upstream.calls == 1
    assert all(result == [{"id": "a", "status": "RUNNING"}] for result in results)
    # A recent snapshot answers without asking upstream at all.
    await watcher.snapshot(max_age=5)
    assert upstream.calls == 1
    await watchers.close()


async def test_after_a_poke_the_next_list_is_read_afresh_however_recent_the_last():
    bus = EventBus()
    upstream = FakeList([{"id": "a", "status": "RUNNING"}, {"id": "b", "status": "RUNNING"}])
    watchers = Watchers(bus, lambda: PollIntervals(active=60, idle=60))
    watcher = watchers.get("training", "local", upstream, transitional)
    assert len(await watcher.snapshot(max_age=60)) == 2
    upstream.items = [{"id": "b", "status": "RUNNING"}]  # "a" deleted by the user
    watcher.poke()
    assert await watcher.snapshot(max_age=60) == [{"id": "b", "status": "RUNNING"}]
    await watchers.close()


async def test_background_polling_runs_only_while_a_tab_listens_and_fast_while_busy():
    bus = EventBus()
    upstream = FakeList([{"id": "a", "status": "STARTING"}])
    watchers = Watchers(bus, lambda: PollIntervals(active=0.01, idle=60))
    watcher = watchers.get("notebooks", "local", upstream, transitional)
    assert not watcher.running
    async with bus.subscribe() as tab:
        assert watcher.running
        deadline = asyncio.get_running_loop().time() + 5
        while upstream.calls < 5:  # fast polls while the item is STARTING
            assert asyncio.get_running_loop().time() < deadline
            await tab.next(0.05)
        upstream.items = [{"id": "a", "status": "RUNNING"}]
        while (await next_event(tab)).data.get("item", {}).get("status") != "RUNNING":
            pass
        settled = upstream.calls
        assert await tab.next(0.2) is None
        assert upstream.calls <= settled + 1  # idle now: no more fast polling
    assert not watcher.running
    await watchers.close()


async def test_a_list_that_polls_while_the_watcher_waits_takes_the_place_of_its_next_poll():
    bus = EventBus()
    upstream = FakeList([{"id": "a", "status": "RUNNING"}])
    interval = 0.6
    watchers = Watchers(bus, lambda: PollIntervals(active=interval, idle=interval))
    watcher = watchers.get("notebooks", "local", upstream, transitional)
    async with bus.subscribe() as tab:
        await next_event(tab)  # the background poll
        await asyncio.sleep(interval / 2)
        tab_poll = upstream.calls
        await watcher.snapshot(max_age=0)  # a tab opening finds the snapshot out of date
        deadline = time.monotonic() + 5
        while upstream.calls < tab_poll + 2:
            assert time.monotonic() < deadline, "the watcher stopped polling"
            await asyncio.sleep(0.01)
    # The next background poll came an interval after the tab's, not after the one before it.
    assert upstream.called_at[tab_poll + 1] - upstream.called_at[tab_poll] >= interval
    await watchers.close()


async def test_a_poke_polls_at_once_after_a_user_action():
    bus = EventBus()
    upstream = FakeList([{"id": "a", "status": "RUNNING"}])
    watchers = Watchers(bus, lambda: PollIntervals(active=60, idle=60))
    watcher = watchers.get("notebooks", "local", upstream, transitional)
    async with bus.subscribe() as tab:
        await next_event(tab)
        upstream.items = [{"id": "a", "status": "STOPPING"}]
        watcher.poke()
        event = await next_event(tab)
        assert event.data["item"]["status"] == "STOPPING"
    await watchers.close()


async def test_a_reconnecting_tab_gets_what_it_missed_or_a_resync():
    bus = EventBus(replay=3)
    first = bus.publish("resource", {"n": 1})
    bus.publish("resource", {"n": 2})
    async with bus.subscribe(last_event_id=first.id) as tab:
        assert (await next_event(tab)).data == {"n": 2}
    for n in range(3, 10):
        bus.publish("resource", {"n": n})
    async with bus.subscribe(last_event_id=first.id) as tab:
        assert (await next_event(tab)).type == "resync"
