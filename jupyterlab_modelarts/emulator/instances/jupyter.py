"""A real local Jupyter server per running instance.

Each server runs in its own process group with the instance folder as its root, the instance
token, a free loopback port, and private Jupyter config/data/runtime directories, so neither the
user's configuration nor this extension (which would start a nested Local ModelArts) is loaded.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from ...private_paths import private_directory, write_private_json
from ..runtime import processes
from .runtime import Endpoint, Health, Probe

#: How long a server may take to answer before it counts as failed to start.
STARTUP_TIMEOUT_SECONDS = 60.0
_POLL_SECONDS = 0.2
_LOG_TAIL_LINES = 20


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tail(path: Path) -> str:
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(lines[-_LOG_TAIL_LINES:])


@dataclass
class _Server:
    process: subprocess.Popen[bytes]
    log: Path
    endpoint: Endpoint
    ready: bool = False
    failure: str = ""
    watcher: asyncio.Task[None] | None = field(default=None, repr=False)


class JupyterServerRuntime:
    """Spawns ``python -m jupyter_server`` per instance; its log is ``<state_dir>/server.log``."""

    def __init__(self, *, python: str = sys.executable, extra_args: tuple[str, ...] = ()) -> None:
        self._python = python
        self._extra_args = extra_args
        self._servers: dict[str, _Server] = {}
        self._halting: dict[str, subprocess.Popen[bytes]] = {}

    def launch(self, key: str, folder: Path, token: str, state_dir: Path) -> Endpoint:
        self.halt(key)
        private_directory(folder)
        private_directory(state_dir)
        private = state_dir / "jupyter"
        for sub in ("config", "data", "runtime"):
            private_directory(private / sub)
        # The token goes in a 0600 config file: a command line is readable by every user.
        write_private_json(
            private / "config" / "jupyter_server_config.json",
            {"IdentityProvider": {"token": token}},
        )
        port = _free_port()
        log = state_dir / "server.log"
        env = {
            **processes.inherited_environment(),
            "JUPYTER_CONFIG_DIR": str(private / "config"),
            "JUPYTER_CONFIG_PATH": str(private / "config"),
            "JUPYTER_DATA_DIR": str(private / "data"),
            "JUPYTER_RUNTIME_DIR": str(private / "runtime"),
            "JUPYTER_PLATFORM_DIRS": "1",
        }
        command = [
            self._python,
            "-m",
            "jupyter_server",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={folder}",
            "--ServerApp.jpserver_extensions=jupyterlab_modelarts=False",
            # containers and CI often run as root, which Jupyter refuses without this flag
            *(["--ServerApp.allow_root=True"] if os.geteuid() == 0 else []),
            *self._extra_args,
        ]
        log.unlink(missing_ok=True)
        process = processes.spawn_group(
            command, cwd=folder, env=env, log_path=log, marker=f"instance {key}"
        )
        endpoint = Endpoint(url=f"http://127.0.0.1:{port}/lab?token={token}", token=token)
        server = _Server(process=process, log=log, endpoint=endpoint)
        server.watcher = asyncio.get_running_loop().create_task(
            self._wait_until_ready(server, f"http://127.0.0.1:{port}/api/status", token)
        )
        self._servers[key] = server
        return endpoint

    async def _wait_until_ready(self, server: _Server, status_url: str, token: str) -> None:
        deadline = asyncio.get_running_loop().time() + STARTUP_TIMEOUT_SECONDS
        headers = {"Authorization": f"token {token}"}
        async with httpx.AsyncClient(timeout=2.0, trust_env=False) as client:
            while asyncio.get_running_loop().time() < deadline:
                if server.process.poll() is not None:
                    return
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(status_url, headers=headers)).status_code == 200:
                        server.ready = True
                        return
                await asyncio.sleep(_POLL_SECONDS)
        server.failure = f"the Jupyter server did not answer within {STARTUP_TIMEOUT_SECONDS:.0f} s"

    def probe(self, key: str) -> Probe:
        server = self._servers.get(key)
        if server is None:
            return Probe(Health.DEAD, "the Jupyter server stopped when Local ModelArts stopped")
        code = server.process.poll()
        if code is not None:
            return Probe(
                Health.DEAD, f"the Jupyter server exited with code {code}: {_tail(server.log)}"
            )
        if server.failure:
            return Probe(Health.DEAD, server.failure)
        return Probe(Health.READY if server.ready else Health.STARTING)

    def halt(self, key: str) -> None:
        server = self._forget(key)
        if server is not None:
            # the event loop must not wait for the server to exit; stopped() tells when it has
            self._halting[key] = server.process
            threading.Thread(target=_stop_group, args=(server.process,), daemon=True).start()

    def stopped(self, key: str) -> bool:
        process = self._halting.get(key)
        if process is None or process.poll() is not None:
            self._halting.pop(key, None)
            return True
        return False

    def close(self) -> None:
        for key in list(self._servers):
            server = self._forget(key)
            if server is not None:
                _stop_group(server.process)
        for process in self._halting.values():
            _stop_group(process)
        self._halting.clear()

    def _forget(self, key: str) -> _Server | None:
        server = self._servers.pop(key, None)
        if server is not None and server.watcher is not None:
            server.watcher.cancel()
        return server


def _stop_group(process: subprocess.Popen[bytes], grace_seconds: float = 5.0) -> None:
    """SIGTERM the server's process group, then SIGKILL it if it lingers."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace_seconds)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
