"""A Jupyter server in its own process, with or without the extension, configured through a
config file in its own JUPYTER_CONFIG_DIR (data and runtime dirs beside it).

``with JupyterServerProcess(folder, extension=True) as server: server.url, server.headers``;
``server.ready_seconds[path]`` is the time from spawn to the first successful answer of each of
``wait_for`` (asked one after the other; by default Jupyter's own ``/api/status``).
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

READY_TIMEOUT = 60.0
JUPYTER_STATUS = "/api/status"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class JupyterServerProcess:
    def __init__(
        self,
        folder: Path,
        *,
        extension: bool,
        modelarts: dict[str, Any] | None = None,
        environment: dict[str, str] | None = None,
        wait_for: Sequence[str] = (JUPYTER_STATUS,),
    ) -> None:
        self.folder = folder
        self.token = secrets.token_hex(16)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.headers = {"Authorization": f"token {self.token}"}
        self.ready_seconds: dict[str, float] = {}
        self._wait_for = wait_for
        self._extension = extension
        self._modelarts = modelarts or {}
        self._extra_environment = environment or {}
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def _environment(self) -> dict[str, str]:
        dirs = {name: self.folder / name.lower() for name in ("JUPYTER_CONFIG_DIR",
                "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR")}  # fmt: skip
        for path in dirs.values():
            path.mkdir(parents=True, exist_ok=True)
        config = {
            "ServerApp": {"jpserver_extensions": {"jupyterlab_modelarts": self._extension}},
            "ModelArtsExtension": {
                "profiles_dir": str(self.folder / "profiles"),
                "local_data_dir": str(self.folder / "modelarts-local"),
                **self._modelarts,
            },
        }
        config_file = dirs["JUPYTER_CONFIG_DIR"] / "jupyter_server_config.json"
        config_file.write_text(json.dumps(config))
        dir_names = {name: str(path) for name, path in dirs.items()}
        return {**os.environ, **self._extra_environment, **dir_names}

    def __enter__(self) -> JupyterServerProcess:
        root = self.folder / "root"
        root.mkdir(parents=True, exist_ok=True)
        environment = self._environment()
        started = time.perf_counter()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "jupyter_server", "--no-browser", "--allow-root",
             "--ServerApp.ip=127.0.0.1",
             f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
             f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={root}"],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=(self.folder / "server.log").open("ab"),
        )  # fmt: skip
        try:
            self._wait_ready(started)
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait_ready(self, started: float) -> None:
        assert self._process is not None
        pending = list(self._wait_for)
        with httpx.Client(headers=self.headers, trust_env=False, timeout=READY_TIMEOUT) as client:
            while pending and time.perf_counter() - started < READY_TIMEOUT:
                if self._process.poll() is not None:
                    raise RuntimeError(f"Jupyter server exited; see {self.folder / 'server.log'}")
                try:
                    if client.get(f"{self.url}{pending[0]}").status_code == 200:
                        self.ready_seconds[pending.pop(0)] = time.perf_counter() - started
                        continue
                except httpx.TransportError:
                    pass
                time.sleep(0.005)
        if pending:
            raise RuntimeError(f"{pending[0]} not answering after {READY_TIMEOUT} s")

    def __exit__(self, *exc: object) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
