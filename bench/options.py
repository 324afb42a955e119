"""What every benchmark is given: how much to repeat, and a scratch folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Options:
    #: Minimal repetitions and sizes: proves a benchmark runs, its figures mean little.
    quick: bool
    #: Scratch space of this run (removed afterwards); HOME and JUPYTER_* point inside it.
    workdir: Path

    def pick(self, full: T, quick: T) -> T:
        return quick if self.quick else full
