"""P5-freshness: from a status change in Local ModelArts (an instance stopped by another client,
behind the extension's back) to the change's event reaching a tab's event stream."""

from __future__ import annotations

import asyncio
import random
import time

import httpx

from .event_stream import CONNECTED, events
from .extension_on_local import INSTANCES_PATH, POLL_SECONDS, ExtensionOnLocal
from .options import Options
from .record import Goal, Record

ID = "P5-freshness"
GOAL_SECONDS = POLL_SECONDS + 0.1


async def measure(extension: ExtensionOnLocal, changes: int) -> list[float]:
    assert extension.server is not None
    server = extension.server
    # When the stream first showed each instance in a state other than RUNNING.
    seen_changed: dict[str, float] = {}
    arrived = asyncio.Event()
    connected = asyncio.Event()
    # Changes start at random points of the poll cycle, as they do in real life.
    phases = random.Random(10)
    async with (
        httpx.AsyncClient(
            base_url=server.url, headers=server.headers, trust_env=False, timeout=30
        ) as http,
        extension.client() as ma,
    ):

        async def tab() -> None:
            (await http.get(INSTANCES_PATH)).raise_for_status()
            async for event_type, data in events(http):
                if event_type == CONNECTED:
                    connected.set()
                elif event_type == "resource" and data["kind"] == "instances":
                    item = data.get("item") or {}
                    if item.get("status") not in (None, "RUNNING"):
                        seen_changed.setdefault(item["id"], time.perf_counter())
                        arrived.set()

        stream = asyncio.create_task(tab())
        await asyncio.wait_for(connected.wait(), 30)
        latencies = []
        for notebook_id in extension.notebook_ids[:changes]:
            await asyncio.sleep(phases.uniform(0, POLL_SECONDS))
            changed_at = time.perf_counter()
            await ma.notebooks.stop(notebook_id)
            while notebook_id not in seen_changed:
                arrived.clear()
                await asyncio.wait_for(arrived.wait(), 10 * POLL_SECONDS)
            latencies.append(seen_changed[notebook_id] - changed_at)
        stream.cancel()
        await asyncio.gather(stream, return_exceptions=True)
    return latencies


def run(options: Options) -> list[Record]:
    changes = options.pick(15, 2)
    with ExtensionOnLocal(options.workdir / "p5", changes) as extension:
        latencies = asyncio.run(measure(extension, changes))
    return [
        Record.measured(
            ID,
            "status change in Local ModelArts to its event on a tab's stream",
            [latency * 1000 for latency in latencies],
            "ms",
            goal=Goal(
                f"at most the poll interval ({POLL_SECONDS:g} s) + 100 ms, for the worst run",
                "worst",
                at_most=GOAL_SECONDS * 1000,
            ),
            notes=f"{changes} instances stopped by another client, one at a time, each at a"
            " random point of the poll cycle; timed from sending the stop call",
        )
    ]
