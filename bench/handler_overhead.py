"""P2-handler-overhead: a list through the extension's REST API vs the same list by our client
directly, against the Local ModelArts embedded in that Jupyter server.

The workspaces list is used: its handler calls upstream on every request. The notebook
instances list answers from the watcher's snapshot, so it would measure a cache, not the
handler's cost on top of a call.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from jupyterlab_modelarts.cloud.credentials import AccessKey
from jupyterlab_modelarts.cloud.modelarts import ModelArts
from jupyterlab_modelarts.emulator.config import EmulatorConfig

from .jupyter_server import JupyterServerProcess, free_port
from .measure import Sample, alternate, percentile
from .options import Options
from .record import Goal, Record

ID = "P2-handler-overhead"
GOAL_MS = 2.0


async def p50_of(call: Callable[[], Awaitable[Any]], count: int) -> Sample:
    latencies = []
    for _ in range(count):
        started = time.perf_counter()
        await call()
        latencies.append(time.perf_counter() - started)
    return {"p50_ms": percentile(latencies, 0.5) * 1000}


def run(options: Options) -> list[Record]:
    rounds = options.pick(7, 1)
    calls = options.pick(200, 10)
    local_port = free_port()
    local_url = f"http://127.0.0.1:{local_port}"
    defaults = EmulatorConfig()  # the embedded Local ModelArts accepts its default keys
    folder = options.workdir / "p2-server"
    with (
        JupyterServerProcess(
            folder, extension=True, modelarts={"local_port": local_port}
        ) as server,
        asyncio.Runner() as loop,
    ):
        rest = httpx.AsyncClient(base_url=server.url, headers=server.headers, trust_env=False)
        direct = ModelArts(
            AccessKey(defaults.access_key, defaults.secret_key),
            region=defaults.region,
            endpoint=local_url,
            iam_endpoint=local_url,
            project_id=defaults.project_id,
        )

        async def through_rest() -> None:
            response = await rest.get("/modelarts/api/v1/workspaces")
            response.raise_for_status()

        async def by_client() -> None:
            await direct.workspaces.list()

        # The first REST call starts the embedded Local ModelArts; neither start is measured.
        loop.run(p50_of(through_rest, 1))
        loop.run(p50_of(by_client, 1))
        via_rest, via_client = alternate(
            rounds,
            [
                lambda: loop.run(p50_of(through_rest, calls)),
                lambda: loop.run(p50_of(by_client, calls)),
            ],
        )
        loop.run(rest.aclose())
        loop.run(direct.aclose())
    added = [a - b for a, b in zip(via_rest["p50_ms"], via_client["p50_ms"], strict=True)]
    return [
        Record.measured(
            ID,
            f"workspaces list p50 through GET /modelarts/api/v1/workspaces ({calls} calls/round)",
            via_rest["p50_ms"],
            "ms",
            baseline="our client directly, p50",
            baseline_samples=via_client["p50_ms"],
            goal=Goal(f"at most {GOAL_MS:g} ms added at p50", "added", at_most=GOAL_MS),
            notes=f"added per round (REST minus direct): median {statistics.median(added):.2f}"
            f" ms, range {min(added):.2f}..{max(added):.2f} ms",
        )
    ]
