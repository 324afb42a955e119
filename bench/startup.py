"""P8-startup: what a user waits for when a Jupyter server starts, with the extension enabled and
without it, started alternately: the time from spawn to the extension's own status answering,
and to the first list the sidebar asks for (notebook instances) answering from the embedded
Local ModelArts; beside them the time to Jupyter's ``/api/status``, all a server without the
extension can offer."""

from __future__ import annotations

import statistics

import psutil

from .jupyter_server import JUPYTER_STATUS, JupyterServerProcess
from .measure import Sample, alternate
from .options import Options
from .record import Goal, Record

ID = "P8-startup"
GOAL_MS = 100
EXTENSION_STATUS = "/modelarts/api/v1/status"
FIRST_LIST = "/modelarts/api/v1/instances"


def run(options: Options) -> list[Record]:
    rounds = options.pick(7, 1)
    starts = iter(range(2 * rounds))

    def start(extension: bool) -> Sample:
        folder = options.workdir / f"p8-server-{next(starts)}"
        paths = (JUPYTER_STATUS, EXTENSION_STATUS, FIRST_LIST) if extension else (JUPYTER_STATUS,)
        with JupyterServerProcess(folder, extension=extension, wait_for=paths) as server:
            # The server's CPU time once the last path answered: on a loaded machine the
            # wall-clock start mostly measures the other work, this does not.
            cpu = psutil.Process(server.pid).cpu_times()
            return {
                **{path: seconds * 1000 for path, seconds in server.ready_seconds.items()},
                "cpu_ms": (cpu.user + cpu.system) * 1000,
            }

    with_extension, without = alternate(rounds, [lambda: start(True), lambda: start(False)])
    baseline = without[JUPYTER_STATUS]
    cpu_added = [a - b for a, b in zip(with_extension["cpu_ms"], without["cpu_ms"], strict=True)]
    cpu_note = (
        f"server CPU from spawn to its first list answering: median"
        f" {statistics.median(with_extension['cpu_ms']):.0f} ms, without the extension to"
        f" /api/status {statistics.median(without['cpu_ms']):.0f} ms, added per round median"
        f" {statistics.median(cpu_added):.0f} ms (range {min(cpu_added):.0f}..{max(cpu_added):.0f})"
    )

    def added(path: str) -> str:
        each = [a - b for a, b in zip(with_extension[path], baseline, strict=True)]
        return (
            f"added per round (with minus without), median {statistics.median(each):.0f} ms,"
            f" range {min(each):.0f}..{max(each):.0f} ms"
        )

    common = (
        "jupyterlab and the other installed server extensions load in both; the default"
        " profile (the embedded Local ModelArts, empty); each path asked once the one before"
        " it answered, every 5 ms"
    )
    without_name = "without the extension: spawn to /api/status"
    return [
        Record.measured(
            ID,
            f"server start to the sidebar's first list (GET {FIRST_LIST}) answering from Local"
            " ModelArts",
            with_extension[FIRST_LIST],
            "ms",
            baseline=without_name,
            baseline_samples=baseline,
            goal=Goal(f"the extension adds at most {GOAL_MS} ms", "added", at_most=GOAL_MS),
            notes=f"{added(FIRST_LIST)}; {cpu_note}; {common}; cause, profiled: the server's"
            " CPU for importing pydantic, our operations layer and cloud schemas (model"
            " building) and Local ModelArts' route modules, then the status check's and first"
            " list's first calls; see bench/README.md",
        ),
        Record.measured(
            ID,
            f"server start to the extension's GET {EXTENSION_STATUS} answering",
            with_extension[EXTENSION_STATUS],
            "ms",
            baseline=without_name,
            baseline_samples=baseline,
            goal=None,
            notes=f"reported; {added(EXTENSION_STATUS)}; {common}",
        ),
        Record.measured(
            ID,
            "server start to Jupyter's GET /api/status answering, with the extension",
            with_extension[JUPYTER_STATUS],
            "ms",
            baseline=without_name,
            baseline_samples=baseline,
            goal=None,
            notes=f"reported (the extension's work continues in the background after this);"
            f" {added(JUPYTER_STATUS)}; {common}",
        ),
    ]
