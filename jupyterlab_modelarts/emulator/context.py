"""What every handler of one Local ModelArts instance shares: settings, state, clock."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..private_paths import private_directory
from .config import EmulatorConfig
from .store import Store

if TYPE_CHECKING:
    from .faults import FaultTable
    from .obs_storage import ObjectStorage


@dataclass
class EmulatorContext:
    config: EmulatorConfig
    store: Store
    #: Root of everything on disk (the configured data_dir or a temporary directory).
    data_dir: Path
    obs: ObjectStorage
    faults: FaultTable
    #: Long-lived objects of resource modules (executors, process tables), keyed by module name.
    services: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def now() -> float:
        """Epoch seconds: the clock every expiry and skew check reads."""
        return time.time()

    def work_dir(self, *parts: str) -> Path:
        """A directory under data_dir for a module's files (created on demand, 0700)."""
        return private_directory(self.data_dir.joinpath("work", *parts))
