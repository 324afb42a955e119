"""P8-startup: a Jupyter server's time from spawn to answering ``/api/status``, with the
extension enabled and without it, started alternately."""

from __future__ import annotations

import statistics

from .jupyter_server import JupyterServerProcess
from .measure import Sample, alternate
from .options import Options
from .record import Record

ID = "P8-startup"
GOAL_MS = 100


def run(options: Options) -> list[Record]:
    rounds = options.pick(7, 1)
    starts = iter(range(2 * rounds))

    def start(extension: bool) -> Sample:
        folder = options.workdir / f"p8-server-{next(starts)}"
        with JupyterServerProcess(folder, extension=extension) as server:
            return {"ready_ms": server.ready_seconds * 1000}

    with_extension, without = alternate(rounds, [lambda: start(True), lambda: start(False)])
    added = [a - b for a, b in zip(with_extension["ready_ms"], without["ready_ms"], strict=True)]
    return [
        Record.measured(
            ID,
            "Jupyter server start to first /api/status answer, with the extension",
            with_extension["ready_ms"],
            "ms",
            baseline="without the extension",
            baseline_samples=without["ready_ms"],
            goal=f"at most {GOAL_MS} ms added",
            goal_met=statistics.median(with_extension["ready_ms"])
            - statistics.median(without["ready_ms"])
            <= GOAL_MS,
            notes=f"added per round (with minus without), median {statistics.median(added):.0f}"
            f" ms, range {min(added):.0f}..{max(added):.0f} ms; jupyterlab and the other"
            " installed server extensions load in both",
        )
    ]
