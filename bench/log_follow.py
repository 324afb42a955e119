"""P7-log-follow, the server's part: a training job in Local ModelArts writes a 100 MB log;
then, through the extension's REST API, the first screen of the finished log (the request a
log viewer opens with) is timed cold, as the first read of that log, and again warm; the
memory of the Jupyter server and of Local ModelArts is sampled from before that first read
until a reader has followed the whole log from its start, page by page. The log viewer's part
(Chromium) is in ``log_viewer``."""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

import httpx
from obs import ObsClient

from jupyterlab_modelarts.cloud.modelarts import ModelArts

from . import log_viewer
from .extension_on_local import ExtensionOnLocal
from .measure import PeakRss, Sample, alternate
from .options import Options
from .record import Goal, Record

ID = "P7-log-follow"
BUCKET = "bench-code"
FIRST_SCREEN_GOAL_MS = 300
RSS_GOAL_MIB = 16
#: Lines per page, as the log viewer asks for them.
PAGE_LINES = 500
#: Prints ``lines`` numbered lines of 100 bytes each.
SCRIPT = """import sys
pad = "x" * 85
write = sys.stdout.write
for i in range({lines}):
    write(f"line {{i:08d}} {{pad}}\\n")
"""


async def run_job(ma: ModelArts, lines: int) -> tuple[int, int]:
    """Create a job whose log has ``lines`` lines of 100 bytes; (job id, version id) once done."""
    engine = (await ma.specs.engines(job_type="train")).engines[0]
    spec = (await ma.specs.resources(job_type="train")).specs[0]
    created = await ma.training.create(
        {
            "job_name": "bench-log",
            "job_desc": "a long log",
            "config": {
                "worker_server_num": 1,
                "app_url": f"/{BUCKET}/log/",
                "boot_file_url": f"/{BUCKET}/log/boot.py",
                "data_url": f"/{BUCKET}/data/",
                "spec_id": spec.spec_id,
                "engine_id": engine.engine_id,
                "train_url": f"/{BUCKET}/out/",
            },
        }
    )
    assert created.version_id is not None
    await ma.training.wait(created.job_id, created.version_id, timeout=600, interval=0.5)
    return created.job_id, created.version_id


def run(options: Options) -> list[Record]:
    lines = options.pick(1_000_000, 10_000)
    rounds = options.pick(3, 1)
    extension_on_local = ExtensionOnLocal(options.workdir / "p7", v1_training=True)
    with extension_on_local as extension, asyncio.Runner() as loop:
        assert extension.server is not None
        server, local = extension.server, extension.local
        key = local.access_key
        obs = ObsClient(access_key_id=key.access_key, secret_access_key=key.secret_key,
                        server=local.base_url)  # fmt: skip
        obs.createBucket(BUCKET)
        obs.putContent(BUCKET, "log/boot.py", SCRIPT.format(lines=lines))
        obs.putContent(BUCKET, "data/unused.txt", "the job reads no data\n")
        obs.close()
        ma = extension.client()
        job_id, version_id = loop.run(run_job(ma, lines))
        loop.run(ma.aclose())
        version_path = f"/modelarts/api/v1/training/jobs/{job_id}/versions/{version_id}"
        http = httpx.AsyncClient(base_url=server.url, headers=server.headers, trust_env=False,
                                 timeout=60)  # fmt: skip

        async def timed_get(params: dict[str, str]) -> tuple[float, Any]:
            started = time.perf_counter()
            response = await http.get(f"{version_path}/log", params=params)
            response.raise_for_status()
            return (time.perf_counter() - started) * 1000, response.json()

        def first_screen(params: dict[str, str]) -> Sample:
            elapsed, chunk = loop.run(timed_get(params))
            if not chunk["lines"]:
                raise RuntimeError(f"the log is empty: {chunk}")
            return {"ms": elapsed}

        async def follow() -> tuple[int, int]:
            """Every page from the start to the end: (pages, bytes read)."""
            base_line, pages, read = "0", 0, 0
            while True:
                _elapsed, chunk = await timed_get({"base_line": base_line})
                if not chunk["lines"]:
                    return pages, read
                pages, read = pages + 1, read + len(chunk["content"].encode())
                base_line = chunk["end_line"]

        # Warm-up without the log: connections, the watcher and the profile's client.
        loop.run(http.get("/modelarts/api/v1/status")).raise_for_status()
        with PeakRss(server.pid) as jupyter_rss, PeakRss(local.pid) as local_rss:
            cold = first_screen({})
            tail, head = alternate(
                rounds, [lambda: first_screen({}), lambda: first_screen({"base_line": "0"})]
            )
            pages, followed = loop.run(follow())
        loop.run(http.aclose())
    size_mb = lines * 100 / 1e6
    if followed != lines * 100:
        raise RuntimeError(f"followed {followed} bytes of a {lines * 100}-byte log")
    first_goal = Goal(f"at most {FIRST_SCREEN_GOAL_MS} ms", "value", at_most=FIRST_SCREEN_GOAL_MS)
    memory_goal = Goal(f"at most {RSS_GOAL_MIB} MiB growth", "worst", at_most=RSS_GOAL_MIB)
    reading = (
        f"sampled every 10 ms from before the log's first read to the end of reading all of it"
        f" ({pages} pages of {PAGE_LINES} lines from the start, {followed / 1e6:.0f} MB);"
        " Local ModelArts keeps no line index: a page reads only its own bytes (the last lines"
        " backwards from the end), nothing is cached between requests"
    )
    return [
        Record.measured(
            ID, f"first screen of a finished {size_mb:g} MB log, cold: the first GET …/log"
            f" (its last {PAGE_LINES} lines) of that log", [cold["ms"]], "ms",
            goal=first_goal,
            notes="the first read of the log after the job finished (the extension's connections"
            " warmed on another request); server part, the viewer's is the last record",
        ),
        Record.measured(
            ID, f"first screen of a finished {size_mb:g} MB log, warm: GET …/log again",
            tail["ms"], "ms", goal=first_goal,
            notes=f"its first {PAGE_LINES} lines (base_line=0): median"
            f" {statistics.median(head['ms']):.0f} ms",
        ),
        Record.measured(
            ID, f"Jupyter server RSS growth while reading the whole {size_mb:g} MB log",
            [jupyter_rss.growth_mib], "MiB", goal=memory_goal,
            notes=reading + "; Local ModelArts in its own process here",
        ),
        Record.measured(
            ID, f"Local ModelArts RSS growth while serving the whole {size_mb:g} MB log",
            [local_rss.growth_mib], "MiB", goal=memory_goal,
            notes=reading + "; by default Local ModelArts runs inside the Jupyter server, so"
            " this is the server's memory too",
        ),
        *log_viewer.run(options),
    ]  # fmt: skip
