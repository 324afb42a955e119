"""Real TensorBoard servers behind visualization jobs (004 §5.3), when the `tensorboard` package
is installed (the optional extra `pip install jupyterlab-modelarts[tensorboard]`); without it
jobs run as documented but their `service_url` stays empty.

One server per running job, on a free loopback port, reading the local folder behind the job's
`train_url`, in its own process group (stopped with the job, and all of them when Local
ModelArts stops).
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import threading
from pathlib import Path

from . import processes

STOP_GRACE_SECONDS = 3.0


def available() -> bool:
    return importlib.util.find_spec("tensorboard") is not None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class TensorBoards:
    """The running servers, by job id; thread-safe."""

    def __init__(self, python: str = sys.executable) -> None:
        self._python = python
        self._servers: dict[str, subprocess.Popen[bytes]] = {}
        self._lock = threading.Lock()

    def start(self, job_id: str, logdir: Path, work_dir: Path) -> str:
        """Start (or restart) the server of `job_id`; its URL, or "" without TensorBoard."""
        self.stop(job_id)
        if not available():
            return ""
        logdir.mkdir(parents=True, exist_ok=True)
        port = _free_port()
        command = [
            self._python,
            "-m",
            "tensorboard.main",
            f"--logdir={logdir}",
            "--host=127.0.0.1",
            f"--port={port}",
        ]
        process = processes.spawn_group(
            command,
            cwd=work_dir,
            env=processes.child_environment([], {}),
            log_path=work_dir / "tensorboard.log",
            marker=f"visualization:{job_id}",
        )
        with self._lock:
            self._servers[job_id] = process
        return f"http://127.0.0.1:{port}/"

    def serves(self, job_id: str) -> bool:
        """Whether a server of `job_id` runs (always False without TensorBoard)."""
        with self._lock:
            process = self._servers.get(job_id)
        return process is not None and process.poll() is None

    def stop(self, job_id: str) -> None:
        with self._lock:
            process = self._servers.pop(job_id, None)
        if process is not None:
            processes.terminate_group(process, STOP_GRACE_SECONDS)

    def stop_all(self) -> None:
        with self._lock:
            running = list(self._servers)
        for job_id in running:
            self.stop(job_id)
