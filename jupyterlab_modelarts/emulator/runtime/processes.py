"""Child processes in their own process group, stoppable as a whole, recognisable after a restart.

Each child carries an environment marker naming what it runs (a job version or a service), so
that after an emulator restart a recorded pid is only killed if it still is that child and not an
unrelated process that reused the pid.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

import psutil

#: Environment variable holding the marker of a child process.
MARKER_ENV = "MODELARTS_LOCAL_PROCESS"

SHIMS_DIR = Path(__file__).parent / "shims"


def spawn_group(
    command: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    log_path: Path,
    marker: str,
) -> subprocess.Popen[bytes]:
    """Start `command` as the leader of a new session, stdout and stderr appended to `log_path`."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        return subprocess.Popen(  # noqa: S603 - the command is built by the runtime, not a shell
            list(command),
            cwd=cwd,
            env={**env, MARKER_ENV: marker},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def child_environment(
    python_path: Sequence[Path | str], extra: Mapping[str, str]
) -> dict[str, str]:
    """The emulator's environment with `python_path` in front of `PYTHONPATH` and the shims
    folder (moxing, model_service) right after it."""
    env = {k: v for k, v in os.environ.items() if k != MARKER_ENV}
    paths = [str(p) for p in python_path] + [str(SHIMS_DIR)]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def terminate_group(process: subprocess.Popen[bytes], grace_seconds: float) -> None:
    """SIGTERM the process group led by `process`; SIGKILL whatever is left of the group once
    the leader has exited or `grace_seconds` have passed."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=grace_seconds)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def kill_orphan(pid: int, marker: str) -> bool:
    """Kill the group of a child left behind by a previous emulator run, if `pid` still is
    that child. Returns whether it was."""
    try:
        environ = psutil.Process(pid).environ()
    except (psutil.Error, OSError):
        return False
    if environ.get(MARKER_ENV) != marker:
        return False
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        return False
    return True


_tracked: dict[int, psutil.Process] = {}


def usage(pid: int) -> tuple[float, int]:
    """CPU use (cores, since the last call for this pid) and resident memory in bytes of the
    process group led by `pid`; (0, 0) once it is gone."""
    try:
        leader = _tracked.get(pid) or _tracked.setdefault(pid, psutil.Process(pid))
        processes = [leader, *leader.children(recursive=True)]
        cpu = sum(p.cpu_percent(interval=None) for p in processes) / 100
        memory = sum(p.memory_info().rss for p in processes)
    except psutil.Error:
        _tracked.pop(pid, None)
        return 0.0, 0
    return cpu, memory
