"""The results file, the table printed on stdout, and the figures in README.md and
bench/README.md, which are generated from the results file and never typed by hand.

``python -m bench.report [--results FILE] [--write-readme]`` prints the table of the results
file; with ``--write-readme`` it also rewrites the part between the ``bench:figures`` markers
of README.md and bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from .record import Record

BENCH = Path(__file__).parent
REPOSITORY = BENCH.parent
RESULTS_FILE = BENCH / "results" / "latest.json"
READMES = (REPOSITORY / "README.md", BENCH / "README.md")
BEGIN, END = "<!-- bench:figures begin -->", "<!-- bench:figures end -->"


@dataclass(frozen=True)
class Run:
    """How and when one benchmark's records were taken."""

    started: str
    seconds: float
    commit: str
    quick: bool
    load_average: float
    cores: int

    @classmethod
    def starting(cls, *, quick: bool, load_average: float, cores: int) -> Run:
        """A run starting now, at the current commit; its ``seconds`` are set when it ends."""
        started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        return cls(started, 0.0, current_commit(), quick, load_average, cores)


@dataclass(frozen=True)
class Results:
    runs: dict[str, Run]
    records: list[Record]

    @classmethod
    def read(cls, path: Path = RESULTS_FILE) -> Results:
        """The results file; an empty one when it is missing or from an older format."""
        try:
            data = json.loads(path.read_text())
            return cls(
                {name: Run(**run) for name, run in data["runs"].items()},
                [Record(**item) for item in data["records"]],
            )
        except (OSError, ValueError, TypeError, KeyError):
            return cls({}, [])

    def write(self, path: Path = RESULTS_FILE) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "runs": {name: asdict(run) for name, run in self.runs.items()},
            "records": [record.as_json() for record in self.records],
        }
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def current_commit() -> str:
    try:
        described = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=REPOSITORY,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return described.stdout.strip()


def _figure(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"


def _value(record: Record) -> str:
    return f"{_figure(record.value)} {record.unit}" if record.value is not None else "not measured"


def _met(record: Record) -> str:
    if record.goal_met is None:
        return "-"
    return "yes" if record.goal_met else "**no**"


def format_table(records: Sequence[Record]) -> str:
    """A Markdown table: readable on a terminal and the figures of bench/README.md."""
    header = ("id", "metric", "value", "baseline", "ratio", "runs", "min / max", "goal", "met")
    rows = [
        (
            record.id,
            record.metric,
            _value(record),
            f"{record.baseline}: {_figure(record.baseline_value)}" if record.baseline else "-",
            _figure(record.ratio),
            str(record.runs),
            f"{_figure(record.min)} / {_figure(record.max)}" if record.runs else "-",
            record.goal or "none (reported)",
            _met(record),
        )
        for record in records
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row).replace("\n", " ") + " |" for row in rows]
    return "\n".join(lines)


def format_notes(records: Sequence[Record]) -> str:
    """How each figure was taken, beyond the method table: what the table has no room for."""
    lines = ["Notes:", ""]
    lines += [
        f"* {record.id}, {record.metric}: {record.notes}" for record in records if record.notes
    ]
    return "\n".join(lines)


def format_runs(runs: dict[str, Run]) -> str:
    """When and how each benchmark's figures were taken, loudly when they mean little."""
    lines = []
    for name, run in runs.items():
        busy = run.load_average > run.cores
        lines.append(
            f"* {name}: {run.started}, commit {run.commit}, {run.seconds:g} s,"
            f" load average {run.load_average:.1f} on {run.cores} cores at the start"
            + (" (a busy shared machine: wall-clock figures are noisy)" if busy else "")
            + (
                " — **quick run: minimal repetitions, the figures mean little**"
                if run.quick
                else ""
            )
        )
    return "\n".join(lines)


def runs_line(runs: dict[str, Run]) -> str:
    """One sentence on when, at which commits and under which load the figures were taken."""
    if not runs:
        return "No benchmark has run."
    every = list(runs.values())
    loads = [run.load_average for run in every]
    commits = sorted({run.commit for run in every})
    quick = [name for name, run in runs.items() if run.quick]
    return (
        f"Taken {min(run.started for run in every)} to {max(run.started for run in every)} at"
        f" commit {', '.join(commits)}, load average {min(loads):.1f} to {max(loads):.1f} on"
        f" {every[0].cores} cores at the benchmarks' starts"
        + (
            " (a shared, busy machine: wall-clock figures are noisy)"
            if max(loads) > every[0].cores
            else ""
        )
        + (f"; quick runs, whose figures mean little: {', '.join(quick)}" if quick else "")
        + ". Medians; min, max and notes in bench/README.md."
    )


def summary_table(records: Sequence[Record]) -> str:
    """The short table of README.md's Performance section."""
    lines = ["| id | figure | value | baseline | goal | met |", "|---|---|---|---|---|---|"]
    for record in records:
        value = _value(record)
        baseline = (
            f"{record.baseline}: {_figure(record.baseline_value)} (ratio {_figure(record.ratio)})"
            if record.baseline
            else "-"
        )
        goal = record.goal or "reference"
        lines.append(
            f"| {record.id} | {record.metric} | {value} | {baseline} | {goal} | {_met(record)} |"
        )
    return "\n".join(lines)


def figures_block(results: Results, readme: Path) -> str:
    if readme.parent == BENCH:
        body = "\n\n".join(
            [
                format_runs(results.runs),
                format_table(results.records),
                format_notes(results.records),
            ]
        )
    else:
        body = runs_line(results.runs) + "\n\n" + summary_table(results.records)
    note = (
        "<!-- generated from bench/results/latest.json by python -m bench.report --write-readme -->"
    )
    return f"{BEGIN}\n{note}\n\n{body}\n\n{END}"


def rewrite(readme: Path, results: Results) -> None:
    text = readme.read_text()
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"{readme}: no {BEGIN} ... {END} markers")
    readme.write_text(pattern.sub(lambda _: figures_block(results, readme), text))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__)
    parser.add_argument("--results", type=Path, default=RESULTS_FILE)
    parser.add_argument("--write-readme", action="store_true")
    args = parser.parse_args(argv)
    results = Results.read(args.results)
    if not results.records:
        raise SystemExit(f"{args.results}: no records")
    print(format_table(results.records))
    if args.write_readme:
        for readme in READMES:
            rewrite(readme, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
