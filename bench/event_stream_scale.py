"""P9-event-stream: 200 tabs holding the extension's event stream while it watches 1,000
notebook instances, vs one tab, in alternating windows of the same length. Per window: the
upstream list calls from before the tabs connect to the window's end; the Jupyter server's CPU
time per status change (CPU while a batch of instances is stopped behind the extension's back,
minus the quiet rate measured just before, over the status events); and for every stopped
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

import httpx
import psutil

from .event_stream import CONNECTED, events
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
    """What the tabs of one window saw: per instance and tab, when its first change arrived;
    and every status the first tab saw per instance."""

    tabs: int
    connected: list[asyncio.Event] = field(default_factory=list)
    arrivals: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, list[str]] = field(default_factory=dict)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.connected = [asyncio.Event() for _ in range(self.tabs)]

    def seen(self, index: int, notebook_id: str, status: str) -> None:
        if index == 0:
            self.statuses.setdefault(notebook_id, []).append(status)
        times = self.arrivals.setdefault(notebook_id, [math.nan] * self.tabs)
        if math.isnan(times[index]):
            times[index] = time.perf_counter()
        self.changed.set()

    def everywhere(self, notebook_id: str) -> bool:
        times = self.arrivals.get(notebook_id)
        return times is not None and not any(math.isnan(t) for t in times)

    def stopped(self, notebook_id: str) -> bool:
        return STOPPED in self.statuses.get(notebook_id, [])

    async def until(self, condition: Callable[[], bool]) -> None:
        while not condition():
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), 30 * POLL_SECONDS)


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

        async def tab(index: int) -> None:
            (await http.get(INSTANCES_PATH)).raise_for_status()
            async for event_type, data in events(http):
                if event_type == CONNECTED:
                    seen.connected[index].set()
                elif event_type == "resource" and data["kind"] == "instances":
                    item = data.get("item") or {}
                    if item.get("status") not in (None, "RUNNING"):
                        seen.seen(index, item["id"], item["status"])

        tasks = [asyncio.create_task(tab(index)) for index in range(tabs)]
        await asyncio.wait_for(asyncio.gather(*(ready.wait() for ready in seen.connected)), 60)
        quiet_cpu, quiet_started = cpu(jupyter), time.perf_counter()
        await asyncio.sleep(timing.quiet)
        quiet_rate = (cpu(jupyter) - quiet_cpu) / (time.perf_counter() - quiet_started)
        await asyncio.sleep(timing.phases.uniform(0, POLL_SECONDS))
        changes_cpu, changes_started = cpu(jupyter), time.perf_counter()

        async def stop(notebook_id: str) -> float:
            await ma.notebooks.stop(notebook_id)
            return time.perf_counter()

        answered = await asyncio.gather(*(stop(notebook_id) for notebook_id in to_stop))
        await seen.until(lambda: all(map(seen.everywhere, to_stop)))
        await seen.until(lambda: all(map(seen.stopped, to_stop)))
        changes_seconds = time.perf_counter() - changes_started
        change_cpu = cpu(jupyter) - changes_cpu - quiet_rate * changes_seconds
        changes = sum(len(seen.statuses[notebook_id]) for notebook_id in to_stop)
        left = opened_at + timing.window - time.perf_counter()
        if left < 0:
            raise RuntimeError(f"a window of {timing.window:g} s is too short: {-left:.1f} s over")
        await asyncio.sleep(left)
        calls = count_calls() - before_opening
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    delays = [
        (at - stopped_at) * 1000
        for notebook_id, stopped_at in zip(to_stop, answered, strict=True)
        for at in seen.arrivals[notebook_id]
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
    #: Seconds of the quiet phase that gives the server's CPU rate without changes.
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
    batch = options.pick(100, 10)
    timing = Timing(window=options.pick(40.0, 12.0), quiet=options.pick(10.0, 2.0),
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
            notes="the server process's CPU time from the stop calls to the last change seen,"
            " minus its quiet rate over that time, per status event; quiet CPU (polling"
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
