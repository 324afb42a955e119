"""P4-fanout: upstream list calls while 50 event-stream clients (tabs) watch 200 notebook
instances, vs while one does; windows of the same length, alternating.

Each simulated tab does what the sidebar does on opening: GET the list once, then hold the
event stream. Upstream calls are counted by Local ModelArts itself (request_counter.py), from
before the tabs connect (their first lists included) to the end of the window.
One more stream stays open for the whole benchmark, so every window starts with the watcher
already polling (the server notices a closed stream only at its next keepalive, so without it
a window's start would depend on the tabs of the previous one).
"""

from __future__ import annotations

import asyncio
import math
import statistics
import time
from collections.abc import Callable

import httpx

from .event_stream import CONNECTED, events
from .extension_on_local import INSTANCES_PATH, POLL_SECONDS, ExtensionOnLocal
from .measure import Sample, alternate
from .options import Options
from .record import Goal, Record

ID = "P4-fanout"
TABS = 50
INSTANCES = 200
#: Instances per page of the watcher's list calls.
PAGE = 50


async def watch(
    extension: ExtensionOnLocal, tabs: int, seconds: float, count_calls: Callable[[], int]
) -> Sample:
    assert extension.server is not None
    server = extension.server
    started = time.perf_counter()
    before_opening = count_calls()
    connected = [asyncio.Event() for _ in range(tabs)]
    async with httpx.AsyncClient(
        base_url=server.url, headers=server.headers, trust_env=False, timeout=30
    ) as http:

        async def tab(index: int) -> None:
            (await http.get(INSTANCES_PATH)).raise_for_status()
            async for event_type, _data in events(http):
                if event_type == CONNECTED:
                    connected[index].set()

        tasks = [asyncio.create_task(tab(index)) for index in range(tabs)]
        await asyncio.wait_for(asyncio.gather(*(ready.wait() for ready in connected)), 30)
        opened = count_calls()
        # The window is as long for 50 tabs as for one: opening them is inside it.
        await asyncio.sleep(max(0.0, started + seconds - time.perf_counter()))
        calls = count_calls() - before_opening
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return {"list_calls": calls, "opening_calls": opened - before_opening}


async def hold_stream(extension: ExtensionOnLocal) -> asyncio.Task[None]:
    """A tab that stays for the whole benchmark; returns once its stream is subscribed."""
    assert extension.server is not None
    server = extension.server
    connected = asyncio.Event()

    async def tab() -> None:
        async with httpx.AsyncClient(
            base_url=server.url, headers=server.headers, trust_env=False, timeout=30
        ) as http:
            (await http.get(INSTANCES_PATH)).raise_for_status()
            async for event_type, _data in events(http):
                if event_type == CONNECTED:
                    connected.set()

    task = asyncio.create_task(tab())
    await asyncio.wait_for(connected.wait(), 30)
    return task


def run(options: Options) -> list[Record]:
    rounds = options.pick(3, 1)
    seconds = options.pick(30.0, 3.0)
    instances = options.pick(INSTANCES, 20)
    with ExtensionOnLocal(options.workdir / "p4", instances) as extension, asyncio.Runner() as loop:
        counter = extension.list_call_counter()
        anchor = loop.run(hold_stream(extension))
        many, one = alternate(
            rounds,
            [
                lambda: loop.run(watch(extension, TABS, seconds, counter.count)),
                lambda: loop.run(watch(extension, 1, seconds, counter.count)),
            ],
        )
        anchor.cancel()
        counter.close()
    poll_calls = math.ceil(instances / PAGE)
    return [
        Record.measured(
            ID,
            f"upstream notebooks list calls, {TABS} tabs opening and watching {instances}"
            f" instances, a {seconds:g} s window",
            many["list_calls"],
            "calls",
            baseline="one tab, same window",
            baseline_samples=one["list_calls"],
            goal=Goal(
                f"equal to one tab's, give or take one poll ({poll_calls} calls) that a window's"
                " edge may cut",
                "added",
                at_most=poll_calls,
            ),
            notes=f"counted from before the tabs connect to the window's end, {seconds:g} s"
            f" later for both; of them, opening"
            f" the tabs (a list GET each, until every stream is connected) cost"
            f" {statistics.median(many['opening_calls']):g} calls for {TABS} tabs,"
            f" {statistics.median(one['opening_calls']):g} for one; polls every"
            f" {POLL_SECONDS:g} s, each paging through the list ({PAGE} per page)",
        )
    ]
