"""``python -m bench`` runs a cheap benchmark and writes records of the agreed shape (never
judged on speed: figures belong to the benchmarks, not to tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
FIELDS = {
    "id", "metric", "value", "unit", "baseline", "baseline_value", "ratio", "runs", "min", "max",
    "goal", "check", "goal_met", "notes",
}  # fmt: skip


def test_quick_run_writes_records_of_the_agreed_shape(tmp_path: Path) -> None:
    output = tmp_path / "latest.json"
    finished = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--output", str(output), "P1-client-latency"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    results = json.loads(output.read_text())
    assert results["runs"]["P1-client-latency"]["quick"] is True
    records = results["records"]
    assert records and all(set(record) == FIELDS for record in records)
    for record in records:
        assert record["id"] == "P1-client-latency"
        assert isinstance(record["value"], float) and record["runs"] >= 1
        assert record["min"] <= record["value"] <= record["max"]
        assert record["goal_met"] is None or (
            isinstance(record["goal_met"], bool) and record["goal"]
        )
    assert "| P1-client-latency |" in finished.stdout
