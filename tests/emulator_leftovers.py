"""Processes a Local ModelArts started (trainers, model servers, notebook servers), found by the
marker it puts in their environment: what the R7 tests look for after a SIGKILL."""

from __future__ import annotations

from pathlib import Path

import psutil

from jupyterlab_modelarts.emulator.runtime.processes import MARKER_ENV


def leftovers(folder: Path) -> list[psutil.Process]:
    """Processes of the Local ModelArts whose data lives under ``folder``: they carry its marker
    and point into that folder (other emulators may run beside the test)."""
    found = []
    for process in psutil.process_iter():
        try:
            environ = process.environ()
            if MARKER_ENV in environ and any(str(folder) in v for v in environ.values()):
                found.append(process)
        except (psutil.AccessDenied, psutil.NoSuchProcess, psutil.ZombieProcess):
            continue
    return found
