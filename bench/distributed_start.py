"""P10-distributed-start: what starting a job as N worker processes costs over running its
script once.

A job whose boot file only reads its worker variables and exits runs through Local ModelArts'
training runner (code copied per worker, free ports, per-worker environment, one process group
each, all watched to their end) with N = 1, 2 and 4 workers; the baseline is one bare
`python boot.py` of the same script. Each figure is the wall time from start to the last
worker's exit; the contenders take turns.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time
from pathlib import Path

from jupyterlab_modelarts.emulator.runtime.training_runner import (
    RunPhase,
    TrainingRequest,
    TrainingRun,
)

from .measure import Sample, alternate
from .options import Options
from .record import Goal, Record

ID = "P10-distributed-start"
WORKER_COUNTS = (1, 2, 4)
#: The runner's own cost on top of the bare process, per batch of workers sharing the cores:
#: the shims' start-up imports, the code copy, ports, environment and process start.
GOAL_ADDED_MS = 250
SCRIPT = (
    "import os\n"
    "print('worker', os.environ['DLS_TASK_INDEX'], 'of', os.environ['DLS_TASK_NUMBER'])\n"
)


def _request(root: Path, workers: int, run: int) -> TrainingRequest:
    return TrainingRequest(
        marker=f"bench:{workers}:{run}",
        job_id=str(run),
        job_name=f"start-{workers}",
        app_url="/bench/code/",
        boot_file_url="/bench/code/boot.py",
        train_url=f"/bench/out/{workers}-{run}/",
        data_url=None,
        log_url=None,
        parameters=[],
        python=sys.executable,
        obs_root=root / "obs",
        work_dir=root / "runs" / f"{workers}-{run}",
        workers=workers,
    )


def run(options: Options) -> list[Record]:
    root = options.workdir / "p10"
    code = root / "obs" / "bench" / "code"
    code.mkdir(parents=True)
    (code / "boot.py").write_text(SCRIPT)
    rounds = options.pick(7, 1)
    runs = iter(range(10**6))

    def bare() -> Sample:
        env = {**os.environ, "DLS_TASK_INDEX": "0", "DLS_TASK_NUMBER": "1"}
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, str(code / "boot.py")], env=env, check=True, capture_output=True
        )
        return {"ms": (time.perf_counter() - started) * 1000}

    def runner(workers: int) -> Sample:
        job = TrainingRun(_request(root, workers, next(runs)), lambda _: None)
        started = time.perf_counter()
        job.start()
        final = job.wait(120)
        elapsed = (time.perf_counter() - started) * 1000
        if final.phase is not RunPhase.SUCCEEDED:
            raise RuntimeError(f"{workers} workers: {final.phase} {final.reason}")
        return {"ms": elapsed}

    contenders = [bare] + [lambda n=n: runner(n) for n in WORKER_COUNTS]
    baseline, *measured = alternate(rounds, contenders)
    cores = os.cpu_count() or 1
    records = []
    for workers, samples in zip(WORKER_COUNTS, measured, strict=True):
        allowed = GOAL_ADDED_MS * math.ceil(workers / cores)
        records.append(
            Record.measured(
                ID,
                f"job start to last worker's exit, {workers} worker(s)",
                samples["ms"],
                "ms",
                baseline="one bare python process of the same script",
                baseline_samples=baseline["ms"],
                goal=Goal(
                    f"at most {allowed} ms added ({GOAL_ADDED_MS} ms per batch of {cores} "
                    "workers sharing the cores)",
                    "added",
                    at_most=allowed,
                ),
                notes=f"{cores} cores; each worker imports the shims' sitecustomize (the bare "
                "process does not), gets its own code copy, port and environment, and runs in "
                "its own watched process group",
            )
        )
    return records
