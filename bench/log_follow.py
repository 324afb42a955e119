"""P7-log-follow, the server's part: a training job in Local ModelArts writes a 100 MB log;
then, through the extension's REST API, the first screen of its log (the request a log viewer
opens with) is timed, and the Jupyter server's memory is sampled while a reader follows the log
from its start page by page. The log viewer's part (Chromium) is in ``log_viewer``."""

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
from .record import Record

ID = "P7-log-follow"
BUCKET = "bench-code"
FIRST_SCREEN_GOAL_MS = 300
RSS_GOAL_MIB = 32
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
    await ma.training.wait(created.job_id, created.version_id, timeout=600, interval=0.5)
    return created.job_id, created.version_id


def run(options: Options) -> list[Record]:
    lines = options.pick(1_000_000, 10_000)
    # Few requests: Local ModelArts reads the whole log file for each page it serves
    # (emulator/runtime/logs.py read_lines), about a second per request at 100 MB.
    rounds = options.pick(3, 1)
    pages = options.pick(10, 5)
    with ExtensionOnLocal(options.workdir / "p7") as extension, asyncio.Runner() as loop:
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
        log_path = f"/modelarts/api/v1/training/jobs/{job_id}/versions/{version_id}/log"
        http = httpx.AsyncClient(base_url=server.url, headers=server.headers, trust_env=False,
                                 timeout=60)  # fmt: skip

        async def timed_get(params: dict[str, str]) -> tuple[float, Any]:
            started = time.perf_counter()
            response = await http.get(log_path, params=params)
            response.raise_for_status()
            return (time.perf_counter() - started) * 1000, response.json()

        def first_screen(params: dict[str, str]) -> Sample:
            elapsed, chunk = loop.run(timed_get(params))
            if not chunk["lines"]:
                raise RuntimeError(f"the log is empty: {chunk}")
            return {"ms": elapsed}

        async def follow() -> int:
            base_line, read = "0", 0
            for _ in range(pages):
                _elapsed, chunk = await timed_get({"base_line": base_line})
                read += len(chunk["content"])
                base_line = chunk["end_line"]
            return read

        first_screen({})  # warm-up: connections, the watcher and the profile's client
        tail, head = alternate(
            rounds, [lambda: first_screen({}), lambda: first_screen({"base_line": "0"})]
        )
        with PeakRss(server.pid) as jupyter_rss, PeakRss(local.pid) as local_rss:
            followed = loop.run(follow())
        loop.run(http.aclose())
    size_mb = lines * 100 / 1e6
    return [
        Record.measured(
            ID, f"first screen of a {size_mb:g} MB log: GET …/log (its last 500 lines)",
            tail["ms"], "ms",
            goal=f"at most {FIRST_SCREEN_GOAL_MS} ms (server part; the viewer: next record)",
            goal_met=statistics.median(tail["ms"]) <= FIRST_SCREEN_GOAL_MS,
            notes=f"its first 500 lines (base_line=0): median {statistics.median(head['ms']):.0f}"
            " ms",
        ),
        Record.measured(
            ID, f"Jupyter server RSS growth while following the {size_mb:g} MB log",
            [jupyter_rss.growth_mib], "MiB",
            goal=f"constant memory: at most {RSS_GOAL_MIB} MiB growth",
            goal_met=jupyter_rss.growth_mib <= RSS_GOAL_MIB,
            notes=f"{pages} pages of 500 lines from the start ({followed / 1e6:.1f} MB read);"
            " Local ModelArts in its own process here",
        ),
        Record.measured(
            ID, f"Local ModelArts RSS growth while serving those pages of the {size_mb:g} MB log",
            [local_rss.growth_mib], "MiB",
            goal=f"constant memory: at most {RSS_GOAL_MIB} MiB growth",
            goal_met=local_rss.growth_mib <= RSS_GOAL_MIB,
            notes="by default Local ModelArts runs inside the Jupyter server, so this is the"
            " server's memory too",
        ),
        *log_viewer.run(options),
    ]  # fmt: skip
