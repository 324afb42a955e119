"""The results file and the table printed on stdout."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from .record import Record

RESULTS_FILE = Path(__file__).parent / "results" / "latest.json"


def write_results(records: Sequence[Record], path: Path = RESULTS_FILE) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([record.as_json() for record in records], indent=2) + "\n")


def _figure(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"


def format_table(records: Sequence[Record]) -> str:
    """A Markdown table: readable on a terminal and pasted as is into bench/README.md."""
    header = ("id", "metric", "value", "baseline", "ratio", "runs", "goal", "met")
    rows = [
        (
            record.id,
            record.metric,
            f"{_figure(record.value)} {record.unit}" if record.value is not None else "-",
            f"{record.baseline}: {_figure(record.baseline_value)}" if record.baseline else "-",
            _figure(record.ratio),
            str(record.runs),
            record.goal,
            "yes" if record.goal_met else "no",
        )
        for record in records
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
