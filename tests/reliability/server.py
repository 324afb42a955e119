"""A Jupyter server with the extension, as a subprocess with its own home (fuzzing, shutdown)."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

STARTUP_DEADLINE_SECONDS = 60
#: Outbound traffic to anything but loopback is sent to this closed loopback port, so that
#: generated endpoints can never make the server reach another host.
DEAD_PROXY = "http://127.0.0.1:9"


@dataclass(frozen=True)
class RunningServer:
    url: str
    token: str
    log: Path
    process: subprocess.Popen[bytes]

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def jupyter_server(home: Path, modelarts: dict[str, Any] | None = None) -> Iterator[RunningServer]:
    """The server, its root ``home/root``; ``modelarts``: its ``ModelArtsExtension`` options."""
    token, port = secrets.token_hex(16), _free_port()
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("HUAWEICLOUD_", "ALIBABA_CLOUD_"))
    }
    env.update(
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        HTTP_PROXY=DEAD_PROXY,
        HTTPS_PROXY=DEAD_PROXY,
        NO_PROXY="",
    )
    (home / "root").mkdir(parents=True, exist_ok=True)
    if modelarts:
        (home / "config").mkdir(parents=True, exist_ok=True)
        (home / "config" / "jupyter_server_config.json").write_text(
            json.dumps({"ModelArtsExtension": modelarts})
        )
    log = home / "server.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyter_server",
                "--ip=127.0.0.1",
                f"--port={port}",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={home / 'root'}",
                "--allow-root",
                "--no-browser",
            ],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    server = RunningServer(f"http://127.0.0.1:{port}", token, log, process)
    try:
        deadline = time.monotonic() + STARTUP_DEADLINE_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited:\n{log.read_text()[-3000:]}")
            try:
                status = httpx.get(
                    f"{server.url}/modelarts/api/v1/status", headers=server.headers, timeout=5
                )
                if status.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
