"""P9-event-stream: 200 tabs holding the extension's event stream while it watches 1,000
notebook instances, vs one tab, in alternating windows of the same length. Per window: the
upstream list calls from before the tabs connect to the window's end; the Jupyter server's CPU
time per status change (all it did from stopping a batch of instances behind the extension's
back until every tab had every change, over the status events; beside it the quiet rate, measured
just before, of polling with nothing changing); and for every stopped
instance and every tab, the delay from the stop call's answer to the change's event on that
tab's stream."""

from __future__ import annotations

import asyncio
import math
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import psutil

from .event_stream import CONNECTED, EVENTS_PATH, FrameSplitter, events, parse_frame
from .extension_on_local import INSTANCES_PATH, POLL_SECONDS, ExtensionOnLocal
from .fanout import PAGE, hold_stream
from .measure import Sample, alternate, percentile
from .options import Options
from .record import Goal, Record

ID = "P9-event-stream"
TABS = 200
INSTANCES = 1000
DELIVERY_GOAL_MS = (POLL_SECONDS + 0.1) * 1000
CPU_GOAL_RATIO = 2.0
STOPPED = "STOPPED"


@dataclass
class Window:
    """What the tabs of one window saw. The first tab decodes its stream as it comes, to tell
    when every change has arrived; the others only keep what arrives, with its arrival time,
    and are decoded after the window, so that the client holding the tabs (one process on the
    same two cores as the server) adds little to the delivery it measures."""

    tabs: int
    connected: list[asyncio.Event] = field(default_factory=list)
    #: Per tab but the first: (arrival time, text) of every chunk of its stream.
    received: list[list[tuple[float, str]]] = field(default_factory=list)
    #: The first tab's first change of each instance, and every status it saw of it.
    first_seen: dict[str, float] = field(default_factory=dict)
    statuses: dict[str, list[str]] = field(default_factory=dict)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.connected = [asyncio.Event() for _ in range(self.tabs)]
        self.received = [[] for _ in range(self.tabs)]

    def seen(self, notebook_id: str, status: str) -> None:
        self.statuses.setdefault(notebook_id, []).append(status)
        self.first_seen.setdefault(notebook_id, time.perf_counter())
        self.changed.set()

    def stopped(self, notebook_id: str) -> bool:
        return STOPPED in self.statuses.get(notebook_id, [])

    async def until(self, condition: Callable[[], bool]) -> None:
        while not condition():
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), 30 * POLL_SECONDS)

    def arrivals(self, index: int) -> dict[str, float]:
        """When tab ``index`` first saw each instance change."""
        if index == 0:
            return self.first_seen
        first: dict[str, float] = {}
        splitter = FrameSplitter()
        for at, chunk in self.received[index]:
            for frame in splitter.feed(chunk):
                notebook_id = changed_instance(parse_frame(frame))
                if notebook_id is not None:
                    first.setdefault(notebook_id, at)
        return first


def changed_instance(event: tuple[str, Any] | None) -> str | None:
    """The id of the instance whose change ``event`` announces, if it is one (RUNNING is the
    state the stopped instances leave)."""
    if event is None or event[0] != "resource" or event[1].get("kind") != "instances":
        return None
    item = event[1].get("item") or {}
    return str(item["id"]) if item.get("status") not in (None, "RUNNING") else None


async def window(
    extension: ExtensionOnLocal,
    tabs: int,
    to_stop: list[str],
    timing: Timing,
    count_calls: Callable[[], int],
) -> Sample:
    assert extension.server is not None
    server = extension.server
    jupyter = psutil.Process(server.pid)
    seen = Window(tabs)
    opened_at = time.perf_counter()
    before_opening = count_calls()
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    async with (
        httpx.AsyncClient(base_url=server.url, headers=server.headers, trust_env=False,
                          timeout=60, limits=limits) as http,
        extension.client() as ma,
    ):  # fmt: skip

        async def decoding_tab() -> None:
            (await http.get(INSTANCES_PATH)).raise_for_status()
            async for event in events(http):
                if event[0] == CONNECTED:
                    seen.connected[0].set()
                elif (notebook_id := changed_instance(event)) is not None:
                    seen.seen(notebook_id, event[1]["item"]["status"])

        async def recording_tab(index: int) -> None:
            (await http.get(INSTANCES_PATH)).raise_for_status()
            async with http.stream("GET", EVENTS_PATH, timeout=None) as response:
                response.raise_for_status()
                async for chunk in response.aiter_text():
                    if not seen.connected[index].is_set() and ": connected" in chunk:
                        seen.connected[index].set()
                    seen.received[index].append((time.perf_counter(), chunk))

        tasks = [asyncio.create_task(decoding_tab())]
        tasks += [asyncio.create_task(recording_tab(index)) for index in range(1, tabs)]
        await asyncio.wait_for(asyncio.gather(*(ready.wait() for ready in seen.connected)), 60)
        quiet_cpu, quiet_started = cpu(jupyter), time.perf_counter()
        await asyncio.sleep(timing.quiet)
        quiet_rate = (cpu(jupyter) - quiet_cpu) / (time.perf_counter() - quiet_started)
        await asyncio.sleep(timing.phases.uniform(0, POLL_SECONDS))
        changes_cpu = cpu(jupyter)

        async def stop(notebook_id: str) -> float:
            await ma.notebooks.stop(notebook_id)
            return time.perf_counter()

        answered = await asyncio.gather(*(stop(notebook_id) for notebook_id in to_stop))
        await seen.until(lambda: all(map(seen.stopped, to_stop)))
        change_cpu = cpu(jupyter) - changes_cpu
        changes = sum(len(seen.statuses[notebook_id]) for notebook_id in to_stop)
        left = opened_at + timing.window - time.perf_counter()
        if left < 0:
            raise RuntimeError(f"a window of {timing.window:g} s is too short: {-left:.1f} s over")
        await asyncio.sleep(left)
        calls = count_calls() - before_opening
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    # A change a tab never received counts as delivered never, which no goal meets.
    delays = []
    for index in range(tabs):
        arrived = seen.arrivals(index)
        delays += [
            (arrived.get(notebook_id, math.inf) - stopped_at) * 1000
            for notebook_id, stopped_at in zip(to_stop, answered, strict=True)
        ]
    return {
        "list_calls": calls,
        "cpu_ms_per_change": change_cpu / changes * 1000,
        "quiet_cpu_percent": quiet_rate * 100,
        "changes": changes,
        "delivery_p99_ms": percentile(delays, 0.99),
        "delivery_worst_ms": max(delays),
    }


@dataclass(frozen=True)
class Timing:
    #: Seconds from opening the tabs to counting the upstream calls: the same for every window.
    window: float
    #: Seconds of the quiet phase that gives the server's CPU rate without changes (reported).
    quiet: float
    #: Where in the poll cycle each batch of changes starts.
    phases: random.Random


def cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def run(options: Options) -> list[Record]:
    rounds = options.pick(2, 1)
    tabs = options.pick(TABS, 20)
    instances = options.pick(INSTANCES, 60)
    batch = options.pick(50, 10)
    timing = Timing(window=options.pick(90.0, 12.0), quiet=options.pick(10.0, 2.0),
                    phases=random.Random(9))  # fmt: skip
    with ExtensionOnLocal(options.workdir / "p9", instances) as extension, asyncio.Runner() as loop:
        counter = extension.list_call_counter()
        anchor = loop.run(hold_stream(extension))
        running = iter(extension.notebook_ids)

        def measured(tab_count: int) -> Sample:
            to_stop = [next(running) for _ in range(batch)]
            return loop.run(window(extension, tab_count, to_stop, timing, counter.count))

        many, one = alternate(rounds, [lambda: measured(tabs), lambda: measured(1)])
        anchor.cancel()
        counter.close()
    poll_calls = math.ceil(instances / PAGE)
    what = f"{tabs} tabs, {instances} watched instances"
    window_note = (
        f"{rounds} windows of {timing.window:g} s each, alternating, one more stream open"
        f" throughout so the watcher polls every {POLL_SECONDS:g} s; a window: the tabs connect"
        f" (a list GET each, then the stream), {timing.quiet:g} s quiet, then {batch} instances"
        f" stopped at once by another client at a random point of the poll cycle, awaited on"
        f" every tab until stopped ({statistics.median(one['changes']):g} status events)"
    )
    return [
        Record.measured(
            ID, f"upstream notebooks list calls per window, {what}", many["list_calls"], "calls",
            baseline="one tab, same window", baseline_samples=one["list_calls"],
            goal=Goal(f"equal to one tab's, give or take one poll ({poll_calls} calls) that a"
                      " window's edge may cut", "added", at_most=poll_calls),
            notes=f"counted by Local ModelArts from before the tabs connect; {window_note}",
        ),
        Record.measured(
            ID, f"Jupyter server CPU per status change, {what}", many["cpu_ms_per_change"], "ms",
            baseline="one tab", baseline_samples=one["cpu_ms_per_change"],
            goal=Goal(f"at most {CPU_GOAL_RATIO:g}x one tab's: ratio <= {CPU_GOAL_RATIO:g}",
                      "ratio", at_most=CPU_GOAL_RATIO),
            notes="the server process's CPU time (psutil) from the stop calls until every tab had"
            " every change and the first tab had seen each instance STOPPED, over the status"
            " events the first tab received: the polls that found the changes included; quiet"
            " CPU before (polling"
            f" {instances} instances): {statistics.median(many['quiet_cpu_percent']):.0f} % of a"
            f" core with {tabs} tabs, {statistics.median(one['quiet_cpu_percent']):.0f} % with"
            f" one; {window_note}",
        ),
        Record.measured(
            ID, f"event delivery p99, stop call to the change's event on each tab, {what}",
            many["delivery_p99_ms"], "ms",
            baseline="one tab", baseline_samples=one["delivery_p99_ms"],
            goal=Goal(f"at most the poll interval ({POLL_SECONDS:g} s) + 100 ms", "value",
                      at_most=DELIVERY_GOAL_MS),
            notes=f"from each stop call's answer to its first status event on each tab; p99 over"
            f" every (instance, tab) of a window, median of the windows; worst"
            f" delivery {max(many['delivery_worst_ms']):.0f} ms with {tabs} tabs,"
            f" {max(one['delivery_worst_ms']):.0f} ms with one; {window_note}",
        ),
    ]  # fmt: skip
