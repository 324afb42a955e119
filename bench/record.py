"""One benchmark figure as written to ``bench/results/latest.json``, and the goal it is held to."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

#: What a goal bounds: the value (a median unless the metric says otherwise), the worst run,
#: the ratio to the baseline, or what the value adds to the baseline (value minus baseline).
On = Literal["value", "worst", "ratio", "added"]


@dataclass(frozen=True)
class Goal:
    """A goal in words and as a bound that code checks, so that ``goal_met`` follows from the
    figures and nothing else."""

    text: str
    on: On
    at_most: float | None = None
    at_least: float | None = None

    def __post_init__(self) -> None:
        if (self.at_most is None) == (self.at_least is None):
            raise ValueError("a goal has exactly one of at_most and at_least")

    def figure(self, record: Record) -> float | None:
        """The figure of ``record`` this goal bounds; None when it was not measured."""
        if self.on == "value":
            return record.value
        if self.on == "worst":
            return record.max
        if self.on == "ratio":
            return record.ratio
        if record.value is None or record.baseline_value is None:
            return None
        return record.value - record.baseline_value

    def met(self, record: Record) -> bool:
        """A figure not measured does not meet its goal."""
        figure = self.figure(record)
        if figure is None:
            return False
        if self.at_most is not None:
            return figure <= self.at_most
        assert self.at_least is not None
        return figure >= self.at_least

    @classmethod
    def of(cls, record: Record) -> Goal | None:
        """The goal a record (as read back from the results file) was judged by."""
        if record.check is None:
            return None
        return cls(record.goal, **record.check)

    def as_check(self) -> dict[str, Any]:
        bound = {"at_most": self.at_most} if self.at_most is not None else {}
        return {"on": self.on, **bound, **({"at_least": self.at_least} if not bound else {})}


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
    #: The goal in words; empty for a reference figure, which has no goal.
    goal: str
    #: The goal's bound (``Goal.as_check``); None without a goal.
    check: dict[str, Any] | None
    #: None without a goal; False when the figure could not be measured.
    goal_met: bool | None
    notes: str

    @classmethod
    def measured(
        cls,
        id: str,
        metric: str,
        samples: Sequence[float],
        unit: str,
        *,
        goal: Goal | None,
        baseline: str | None = None,
        baseline_samples: Sequence[float] | None = None,
        statistic: Callable[[Sequence[float]], float] = statistics.median,
        notes: str = "",
    ) -> Record:
        """A figure from repeated runs: ``statistic`` (the median) of ``samples``, with their
        spread; with a baseline measured in the same rounds, the ratio of the two statistics.
        No samples (nothing could be measured) gives a record whose goal is not met."""
        value = statistic(samples) if samples else None
        baseline_value = statistic(baseline_samples) if baseline_samples else None
        # A ratio to a baseline at or below zero (a difference lost in noise) means nothing.
        ratio = (
            value / baseline_value
            if value is not None and baseline_value is not None and baseline_value > 0
            else None
        )
        record = cls(
            id=id,
            metric=metric,
            value=value,
            unit=unit,
            baseline=baseline,
            baseline_value=baseline_value,
            ratio=ratio,
            runs=len(samples),
            min=min(samples) if samples else None,
            max=max(samples) if samples else None,
            goal=goal.text if goal else "",
            check=goal.as_check() if goal else None,
            goal_met=None,
            notes=notes,
        )
        return record.judged(goal)

    def judged(self, goal: Goal | None) -> Record:
        return replace(self, goal_met=goal.met(self) if goal else None)

    @classmethod
    def not_measurable(cls, id: str, metric: str, unit: str, goal: Goal, reason: str) -> Record:
        """A benchmark whose flow does not exist yet: no figure, so its goal is not met."""
        return cls.measured(id, metric, [], unit, goal=goal, notes=f"not measured: {reason}")

    def as_json(self) -> dict[str, Any]:
        return asdict(self)
