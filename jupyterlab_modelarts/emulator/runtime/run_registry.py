"""The training runs of one API generation (v1 job versions, v2 jobs), by the id of what runs:
started, asked to stop, forgotten once ended, and all stopped when Local ModelArts stops."""

from __future__ import annotations

import threading
from collections.abc import Callable

from .training_runner import RunUpdate, TrainingRequest, TrainingRun


class RunRegistry:
    def __init__(self) -> None:
        self._runs: dict[str, TrainingRun] = {}
        self._lock = threading.Lock()
        #: Set once Local ModelArts stops: the runs' ends are then failures, not the user's.
        self._shutting_down = False

    def launch(
        self, key: str, request: TrainingRequest, on_update: Callable[[str, RunUpdate], None]
    ) -> None:
        run = TrainingRun(request, lambda update: on_update(key, update))
        with self._lock:
            self._runs[key] = run
        run.start()

    def stop(self, key: str) -> bool:
        """Ask a run to stop; False when nothing runs for `key`."""
        with self._lock:
            run = self._runs.get(key)
        if run is None or run.finished:
            return False
        run.stop()
        return True

    def forget(self, key: str) -> None:
        with self._lock:
            self._runs.pop(key, None)

    def shutdown(self) -> None:
        self._shutting_down = True
        with self._lock:
            runs = list(self._runs.values())
        for run in runs:
            run.stop()
        for run in runs:
            run.wait(timeout=10)
