"""One benchmark figure as written to ``bench/results/latest.json``."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Record:
    id: str
    metric: str
    value: float | None
    unit: str
    baseline: str | None
    baseline_value: float | None
    ratio: float | None
    runs: int
    min: float | None
    max: float | None
    goal: str
    goal_met: bool
    notes: str

    @classmethod
    def measured(
        cls,
        id: str,
        metric: str,
        samples: Sequence[float],
        unit: str,
        *,
        goal: str,
        goal_met: bool,
        baseline: str | None = None,
        baseline_samples: Sequence[float] | None = None,
        notes: str = "",
    ) -> Record:
        """A figure from repeated runs: the median of ``samples``, with their spread; with a
        baseline measured in the same rounds, the ratio of the two medians."""
        value = statistics.median(samples)
        baseline_value = statistics.median(baseline_samples) if baseline_samples else None
        ratio = value / baseline_value if baseline_value else None
        return cls(
            id=id,
            metric=metric,
            value=value,
            unit=unit,
            baseline=baseline,
            baseline_value=baseline_value,
            ratio=ratio,
            runs=len(samples),
            min=min(samples),
            max=max(samples),
            goal=goal,
            goal_met=goal_met,
            notes=notes,
        )

    @classmethod
    def not_measurable(cls, id: str, metric: str, unit: str, goal: str, reason: str) -> Record:
        """A benchmark whose flow does not exist yet: no figure, so its goal is not met."""
        return cls(
            id=id,
            metric=metric,
            value=None,
            unit=unit,
            baseline=None,
            baseline_value=None,
            ratio=None,
            runs=0,
            min=None,
            max=None,
            goal=goal,
            goal_met=False,
            notes=f"not measurable yet: {reason}",
        )

    def as_json(self) -> dict[str, Any]:
        return asdict(self)
