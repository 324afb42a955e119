"""Starting, watching and stopping the inference server of one model package.

The server (serving/model_server.py) binds a free loopback port itself and announces it in a
ready file once the model is loaded, so there is no port race and "ready" means "answers".
"""

from __future__ import annotations

import enum
import http.client
import json
import secrets
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from . import logs, processes
from .model_package import ModelPackage
from .serving.model_server_access import SECRET_ENV, SECRET_HEADER
from .shims.moxing.file import OBS_ROOT_ENV

SERVER_PROGRAM = Path(__file__).parent / "serving" / "model_server.py"
#: How long a model may take to load before its server counts as failed.
STARTUP_TIMEOUT_SECONDS = 120.0
STOP_GRACE_SECONDS = 3.0
_POLL_SECONDS = 0.05


class ServerPhase(enum.Enum):
    STARTING = "starting"
    READY = "ready"
    FAILED = "failed"
    STOPPED = "stopped"


@dataclass(frozen=True)
class ServerUpdate:
    phase: ServerPhase
    reason: str = ""
    pid: int | None = None
    port: int | None = None


class InferenceServer:
    """One server process. `on_update` is called from a worker thread on every phase change."""

    def __init__(
        self,
        package: ModelPackage,
        *,
        marker: str,
        python: str,
        obs_root: Path,
        work_dir: Path,
        on_update: Callable[[ServerUpdate], None],
        environment: Mapping[str, str] | None = None,
        startup_timeout: float = STARTUP_TIMEOUT_SECONDS,
    ) -> None:
        """`environment` adds variables for the model code (a service's `envs`)."""
        self.package = package
        self.marker = marker
        self._python = python
        self._obs_root = obs_root
        self._work_dir = work_dir
        self._on_update = on_update
        self._startup_timeout = startup_timeout
        self._environment = dict(environment or {})
        # Only Local ModelArts knows it: other users of the machine reach the port, not the model.
        self._secret = secrets.token_urlsafe(32)
        self._process: subprocess.Popen[bytes] | None = None
        self._stopping = False
        self.last_update = ServerUpdate(ServerPhase.STARTING)
        self._settled = threading.Event()

    @property
    def log_path(self) -> Path:
        return self._work_dir / "server.log"

    @property
    def _ready_file(self) -> Path:
        return self._work_dir / "ready.json"

    @property
    def url(self) -> str | None:
        """Where the server answers predictions (`POST`), once ready."""
        port = self.last_update.port
        return f"http://127.0.0.1:{port}/" if port else None

    @property
    def headers(self) -> dict[str, str]:
        """What every request to the server must carry."""
        return {SECRET_HEADER: self._secret}

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self) -> None:
        self._work_dir.mkdir(parents=True, exist_ok=True)
        self._ready_file.unlink(missing_ok=True)
        command = [
            self._python,
            str(SERVER_PROGRAM),
            *self.package.server_arguments(),
            "--ready-file",
            str(self._ready_file),
        ]
        env = processes.child_environment(
            [], {**self._environment, OBS_ROOT_ENV: str(self._obs_root), SECRET_ENV: self._secret}
        )
        self._process = processes.spawn_group(
            command, cwd=self._work_dir, env=env, log_path=self.log_path, marker=self.marker
        )
        self._report(ServerUpdate(ServerPhase.STARTING, pid=self._process.pid))
        threading.Thread(target=self._watch, name=f"serve-{self.marker}", daemon=True).start()

    def stop(self) -> None:
        """Stop the server's process group; blocks up to the stop grace period."""
        self._stopping = True
        if self._process is not None and self._process.poll() is None:
            processes.terminate_group(self._process, STOP_GRACE_SECONDS)

    def wait_ready(self, timeout: float) -> ServerUpdate:
        """Block until the server is ready or failed, or `timeout` passed; the last update."""
        self._settled.wait(timeout)
        return self.last_update

    def healthy(self, timeout: float = 2.0) -> bool:
        """Whether `GET /health` answers `{"status": "OK"}` now."""
        port = self.last_update.port
        if port is None:
            return False
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        try:
            connection.request("GET", "/health", headers=self.headers)
            response = connection.getresponse()
            return response.status == 200 and json.loads(response.read()).get("status") == "OK"
        except (OSError, ValueError):
            return False
        finally:
            connection.close()

    def _report(self, update: ServerUpdate) -> None:
        self.last_update = update
        if update.phase is not ServerPhase.STARTING:
            self._settled.set()
        self._on_update(update)

    def _watch(self) -> None:
        process = self._process
        assert process is not None
        deadline = time.monotonic() + self._startup_timeout
        while not self._ready_file.exists():
            if process.poll() is not None:
                self._report_exit(process)
                return
            if time.monotonic() > deadline:
                processes.terminate_group(process, STOP_GRACE_SECONDS)
                self._report(
                    ServerUpdate(
                        ServerPhase.FAILED,
                        f"the model did not load within {self._startup_timeout:.0f} s\n"
                        + logs.tail(self.log_path),
                        pid=process.pid,
                    )
                )
                return
            time.sleep(_POLL_SECONDS)
        port = int(json.loads(self._ready_file.read_text())["port"])
        self._report(ServerUpdate(ServerPhase.READY, pid=process.pid, port=port))
        process.wait()
        self._report_exit(process)

    def _report_exit(self, process: subprocess.Popen[bytes]) -> None:
        if self._stopping:
            self._report(ServerUpdate(ServerPhase.STOPPED, pid=process.pid))
            return
        reason = f"the inference server exited with code {process.returncode}\n" + logs.tail(
            self.log_path
        )
        self._report(ServerUpdate(ServerPhase.FAILED, reason, pid=process.pid))
