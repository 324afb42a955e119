"""Every benchmark (issues 10 and 22) by id, in the order they run. A benchmark whose flow is not in
the product yet says so in its record instead of being left out silently."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from .options import Options
from .record import Goal, Record


@dataclass(frozen=True)
class Benchmark:
    id: str
    #: Module of ``bench`` with ``run(options) -> list[Record]``; None: not measurable yet.
    module: str | None
    #: For one not measurable yet: what it will measure, its unit, goal, and what is missing.
    metric: str = ""
    unit: str = ""
    goal: Goal | None = None
    missing: str = ""

    def run(self, options: Options) -> list[Record]:
        if self.module is None:
            assert self.goal is not None
            return [Record.not_measurable(self.id, self.metric, self.unit, self.goal, self.missing)]
        runner: Callable[[Options], list[Record]] = importlib.import_module(
            f".{self.module}", __package__
        ).run
        return runner(options)


BENCHMARKS = [
    Benchmark("P1-client-latency", "client_latency"),
    Benchmark("P2-handler-overhead", "handler_overhead"),
    Benchmark("P3-upload", "upload"),
    Benchmark("P4-fanout", "fanout"),
    Benchmark("P5-freshness", "freshness"),
    Benchmark("P6-sidebar-render", "sidebar_render"),
    Benchmark("P7-log-follow", "log_follow"),
    Benchmark("P8-startup", "startup"),
    Benchmark("P9-event-stream", "event_stream_scale"),
    Benchmark("P10-distributed-start", "distributed_start"),
]
BY_ID = {benchmark.id: benchmark for benchmark in BENCHMARKS}
