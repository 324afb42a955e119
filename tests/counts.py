"""Pytest plugin: the reliability tests' counts (``report("...")``), printed in the run's
summary even when every test passes. Loaded by every pytest configuration (``-p counts``)."""

from __future__ import annotations

import pytest

COUNTS: list[str] = []


@pytest.fixture(scope="session")
def report():
    return COUNTS.append


def pytest_terminal_summary(terminalreporter) -> None:
    if COUNTS:
        terminalreporter.section("reliability counts")
        for line in COUNTS:
            terminalreporter.write_line(line)
