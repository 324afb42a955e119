"""Measuring tools shared by the benchmarks: percentiles, alternating rounds, event loop lag,
peak memory."""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence

import psutil

Sample = dict[str, float]


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (``fraction`` 0.5 is the median of an odd count)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def alternate(
    rounds: int, contenders: Sequence[Callable[[], Sample]]
) -> list[dict[str, list[float]]]:
    """Run each contender once per round, in forward order on even rounds and reverse order on
    odd ones (A B, B A, ...), so that drift of a shared, noisy machine hits all of them alike.
    Returns, per contender, each metric's samples over the rounds."""
    collected: list[dict[str, list[float]]] = [defaultdict(list) for _ in contenders]
    order = list(range(len(contenders)))
    for round_index in range(rounds):
        for index in order if round_index % 2 == 0 else reversed(order):
            for metric, value in contenders[index]().items():
                collected[index][metric].append(value)
    return collected


class LoopLag:
    """How late a task that asks to wake every ``interval`` seconds actually wakes: the delay a
    request arriving at the Jupyter server's loop at that moment would see.
    ``async with LoopLag() as lag: ...`` then ``lag.p99_ms``."""

    def __init__(self, interval: float = 0.001) -> None:
        self.interval = interval
        self.lags: list[float] = []
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(self.interval)
            self.lags.append(max(0.0, time.perf_counter() - before - self.interval))

    async def __aenter__(self) -> LoopLag:
        self._task = asyncio.create_task(self._tick())
        await asyncio.sleep(0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)

    @property
    def p99_ms(self) -> float:
        return percentile(self.lags, 0.99) * 1000 if self.lags else 0.0


class PeakRss:
    """Largest resident set size of a process seen while the block runs, sampled every 10 ms
    from a thread: ``with PeakRss(pid) as rss: ...`` then ``rss.growth_mib``."""

    def __init__(self, pid: int | None = None, period: float = 0.01) -> None:
        self._process = psutil.Process(pid)
        self._period = period
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self.start_bytes = 0
        self.peak_bytes = 0

    def _sample(self) -> None:
        while not self._stop.wait(self._period):
            self.peak_bytes = max(self.peak_bytes, self._process.memory_info().rss)

    def __enter__(self) -> PeakRss:
        self.start_bytes = self.peak_bytes = self._process.memory_info().rss
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_bytes = max(self.peak_bytes, self._process.memory_info().rss)

    @property
    def growth_mib(self) -> float:
        return (self.peak_bytes - self.start_bytes) / 2**20
