"""Resource use of a running job's workers, sampled from their real processes and reported as
the v2 metrics API does: per task, ``cpuUsage`` and ``memUsage`` in percent of the flavor's
vCPUs and memory, one average per minute (the last one over the minute so far)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from . import processes

#: Seconds between two samples of a worker's process group.
SAMPLE_SECONDS = 1.0
#: Seconds one reported value averages, as the cloud's metrics do.
WINDOW_SECONDS = 60.0
METRICS = ("cpuUsage", "memUsage")


class UsageSampler:
    """Samples each worker's process group (``pids`` by task index) until stopped."""

    def __init__(
        self,
        pids: Sequence[int],
        cores: float,
        memory_bytes: int,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._pids = tuple(pids)
        self._cores = max(cores, 1.0)
        self._memory = max(memory_bytes, 1)
        self._clock = clock
        self._started = clock()
        #: Per task, per minute: [cpu percent sum, memory percent sum, samples].
        self._windows: list[list[list[float]]] = [[] for _ in self._pids]
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="usage-sampler", daemon=True)

    def start(self) -> None:
        self.sample()
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join()

    def sample(self) -> None:
        """One sample of every worker still running (a gone process adds nothing)."""
        window = int((self._clock() - self._started) // WINDOW_SECONDS)
        for index, pid in enumerate(self._pids):
            cores_used, resident = processes.usage(pid)
            if not resident:
                continue
            with self._lock:
                windows = self._windows[index]
                while len(windows) <= window:
                    windows.append([0.0, 0.0, 0])
                sums = windows[window]
                sums[0] += 100 * cores_used / self._cores
                sums[1] += 100 * resident / self._memory
                sums[2] += 1

    def series(self) -> list[dict[str, list[float]]]:
        """Per task index: each metric's per-minute averages (minutes without a sample
        left out)."""
        with self._lock:
            return [
                {
                    name: [round(w[column] / w[2], 2) for w in windows if w[2]]
                    for column, name in enumerate(METRICS)
                }
                for windows in self._windows
            ]

    def _loop(self) -> None:
        while not self._stopped.wait(SAMPLE_SECONDS):
            self.sample()
