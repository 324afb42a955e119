"""The shape of benchmark records: a goal met is a goal stated, checked by code against figures
that were measured, with the baseline a ratio needs; and the figures in README.md and
bench/README.md are the ones in bench/results/latest.json."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.record import Goal, Record
from bench.report import READMES, RESULTS_FILE, Results, figures_block, rewrite

BASELINE_KINDS = ("ratio", "added")


def shape_problems(record: Record) -> list[str]:
    """What is wrong with a record's shape; empty when nothing is."""
    problems = []
    goal = Goal.of(record)
    if (goal is None) != (record.goal_met is None) or (goal is None) != (not record.goal):
        problems.append("a goal, its check and goal_met go together: all or none")
    if record.goal_met and (goal is None or not goal.met(record)):
        problems.append("goal_met is true but its check does not hold on the figures")
    if record.goal_met and record.value is None:
        problems.append("goal_met is true for a figure that was not measured")
    if goal is not None and goal.on in BASELINE_KINDS and record.value is not None:
        if record.baseline is None or record.baseline_value is None:
            problems.append(f"a goal on the {goal.on} without a measured baseline")
    if record.runs and not (record.min <= record.value <= record.max):  # type: ignore[operator]
        problems.append("the value is outside its runs' min and max")
    return problems


def records_of(path: Path) -> list[Record]:
    results = Results.read(path)
    assert results.records, f"{path} holds no records"
    return results.records


def test_the_committed_results_have_the_agreed_shape() -> None:
    for record in records_of(RESULTS_FILE):
        assert shape_problems(record) == [], f"{record.id}: {record.metric}"


def test_the_readmes_show_the_committed_results() -> None:
    results = Results.read(RESULTS_FILE)
    for readme in READMES:
        assert figures_block(results, readme) in readme.read_text(), (
            f"{readme.name} is not what `python -m bench.report --write-readme` writes"
        )


def measured(
    goal: Goal | None, samples: list[float], baseline: list[float] | None = None
) -> Record:
    name = "b" if baseline else None
    return Record.measured(
        "P0", "a figure", samples, "ms", goal=goal, baseline=name, baseline_samples=baseline
    )


@pytest.mark.parametrize(
    ("goal", "samples", "baseline", "met"),
    [
        (Goal("fast", "value", at_most=10), [9, 12, 8], None, True),
        (Goal("fast", "value", at_most=10), [11, 12, 8], None, False),
        (Goal("never slow", "worst", at_most=10), [9, 12, 8], None, False),
        (Goal("twice", "ratio", at_least=2), [10, 10, 10], [5, 4, 6], True),
        (Goal("twice", "ratio", at_least=2), [10, 10, 10], [6, 5, 6], False),
        (Goal("little added", "added", at_most=1), [10, 11, 12], [10, 10, 10], True),
        (Goal("fast", "value", at_most=10), [], None, False),
        (None, [1, 2, 3], None, None),
    ],
)
def test_goal_met_follows_from_the_figures(goal, samples, baseline, met) -> None:
    record = measured(goal, samples, baseline)
    assert record.goal_met is met
    assert shape_problems(record) == []


def test_a_ratio_goal_without_a_baseline_is_not_met_and_is_caught() -> None:
    record = measured(Goal("twice", "ratio", at_least=2), [10, 10, 10])
    assert record.goal_met is False
    assert "a goal on the ratio without a measured baseline" in shape_problems(record)


def test_a_record_claiming_a_goal_it_does_not_meet_is_caught() -> None:
    honest = measured(Goal("twice", "ratio", at_least=2), [10, 10, 10], [6, 6, 6])
    claimed = Record(**{**honest.as_json(), "goal_met": True})
    assert "goal_met is true but its check does not hold on the figures" in shape_problems(claimed)
    no_goal = Record(**{**measured(None, [1.0]).as_json(), "goal_met": True})
    assert shape_problems(no_goal)


def test_figures_are_rewritten_between_the_markers_only(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Title\n\nbefore\n<!-- bench:figures begin -->\nold\n"
                      "<!-- bench:figures end -->\nafter\n")  # fmt: skip
    results = Results({}, [measured(Goal("fast", "value", at_most=10), [5.0])])
    rewrite(readme, results)
    text = readme.read_text()
    assert text.startswith("# Title\n\nbefore\n") and text.endswith("\nafter\n")
    assert "old" not in text and "| P0 | a figure | 5 ms |" in text
