"""Child processes in their own process group, stoppable as a whole, recognisable after a restart,
ended with the server.

Each child carries an environment marker naming what it runs (a job version or a service), so
that after an emulator restart a recorded pid is only killed if it still is that child and not an
unrelated process that reused the pid. Each runs under lifeline.py, which ends its group when the
server process is gone (killed, crashed), so nothing keeps running or listening after it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psutil

#: Environment variable holding the marker of a child process.
MARKER_ENV = "MODELARTS_LOCAL_PROCESS"

SHIMS_DIR = Path(__file__).parent / "shims"
LIFELINE_PROGRAM = Path(__file__).parent / "lifeline.py"

#: What a child keeps of the server's environment: where programs, libraries and certificates
#: are, the locale, the user's home and temporary folder, proxies, thread and device choices.
#: Everything else (the server's tokens, JUPYTERHUB_API_TOKEN, cloud keys, the variables that
#: administrator-managed profiles name) stays with the server: the user's code runs here.
INHERITED_VARIABLES = frozenset(
    {
        "PATH",
        "HOME",
        "USER",
        "LOGNAME",
        "SHELL",
        "TERM",
        "TZ",
        "LANG",
        "LANGUAGE",
        "TMPDIR",
        "PYTHONPATH",
        "VIRTUAL_ENV",
        "CONDA_PREFIX",
        "LD_LIBRARY_PATH",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "REQUESTS_CA_BUNDLE",
        "CUDA_VISIBLE_DEVICES",
        "OMP_NUM_THREADS",
        "MKL_NUM_THREADS",
        *(
            f"{name}{kind}"
            for name in ("http", "https", "no", "all", "ftp")
            for kind in ("_proxy", "_PROXY")
        ),
    }
)
INHERITED_PREFIXES = ("LC_",)


_lifeline_lock = threading.Lock()
#: (read end, write end) of the server's lifeline pipe. The write end stays open, in this
#: process only (pipes are not inheritable), until the process ends.
_lifeline_pipe: tuple[int, int] | None = None


def _lifeline() -> int:
    """The read end of the lifeline pipe, for the children to watch."""
    global _lifeline_pipe
    with _lifeline_lock:
        if _lifeline_pipe is None:
            _lifeline_pipe = os.pipe()
        return _lifeline_pipe[0]


def spawn_group(
    command: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    log_path: Path,
    marker: str,
) -> subprocess.Popen[bytes]:
    """Start `command` under the lifeline as the leader of a new session, stdout and stderr
    appended to `log_path`; the returned process is the lifeline's, whose exit is the command's."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    lifeline = _lifeline()
    with log_path.open("ab") as log:
        return subprocess.Popen(  # noqa: S603 - the command is built by the runtime, not a shell
            # -I -S: the lifeline needs neither the environment's PYTHONPATH (the shims'
            # sitecustomize is for the command) nor site-packages, whose start-up it would pay.
            [sys.executable, "-I", "-S", str(LIFELINE_PROGRAM), str(lifeline), *command],
            cwd=cwd,
            env={**env, MARKER_ENV: marker},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            pass_fds=(lifeline,),
        )


def inherited_environment() -> dict[str, str]:
    """The part of the server's environment any child process may see (the allow-list above);
    every launcher of Local ModelArts starts from this."""
    return {
        name: value
        for name, value in os.environ.items()
        if name in INHERITED_VARIABLES or name.startswith(INHERITED_PREFIXES)
    }


def child_environment(
    python_path: Sequence[Path | str], extra: Mapping[str, str]
) -> dict[str, str]:
    """The inherited environment with `python_path` in front of `PYTHONPATH`, the shims folder
    (moxing, model_service) right after it, and `extra` (the job's or service's variables)."""
    env = inherited_environment()
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
    # psutil loads here, not with Local ModelArts: in a started server's large heap its import
    # costs 35-150 ms of the embedded one's start (bench P8).
    import psutil

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
    import psutil

    try:
        leader = _tracked.get(pid) or _tracked.setdefault(pid, psutil.Process(pid))
        processes = [leader, *leader.children(recursive=True)]
        cpu = sum(p.cpu_percent(interval=None) for p in processes) / 100
        memory = sum(p.memory_info().rss for p in processes)
    except psutil.Error:
        _tracked.pop(pid, None)
        return 0.0, 0
    return cpu, memory
