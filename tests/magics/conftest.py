"""A real Jupyter server with the extension (on Local ModelArts), real kernels, and a way to run
a cell in them and see what the user sees."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from canary import check_answer
from jupyter_client import BlockingKernelClient, KernelManager

STARTUP_DEADLINE_SECONDS = 60
CELL_DEADLINE_SECONDS = 60
#: A training script that prints its epochs: what a followed log shows.
SCRIPT = """import argparse

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=1)
args, _ = parser.parse_known_args()
for epoch in range(args.epochs):
    print(f"epoch {epoch} loss {1 / (epoch + 1):.3f}", flush=True)
print("training finished", flush=True)
"""
CLOUD_VARIABLES = (
    "HUAWEICLOUD_SDK_AK",
    "HUAWEICLOUD_SDK_SK",
    "HUAWEICLOUD_SDK_SECURITY_TOKEN",
    "HUAWEICLOUD_SDK_PROJECT_ID",
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
)


def isolated_environment(home: Path) -> dict[str, str]:
    """The environment of a server or kernel whose every Jupyter folder is under ``home``."""
    env = {
        **os.environ,
        "HOME": str(home),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    for name in CLOUD_VARIABLES:
        env.pop(name, None)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class CellOutput:
    stdout: str = ""
    stderr: str = ""
    #: Every display or result bundle, by MIME type, in order (updates included).
    bundles: list[dict[str, Any]] = field(default_factory=list)
    error: dict[str, Any] | None = None

    def html(self) -> str:
        return "\n".join(b["text/html"] for b in self.bundles if "text/html" in b)

    def text(self) -> str:
        return "\n".join(b["text/plain"] for b in self.bundles if "text/plain" in b)


def run_cell(client: BlockingKernelClient, code: str) -> CellOutput:
    """Execute ``code`` and collect its outputs until the kernel is idle again."""
    return collect(client, client.execute(code), CellOutput())


def collect(
    client: BlockingKernelClient,
    msg_id: str,
    output: CellOutput,
    until: Callable[[CellOutput], bool] | None = None,
) -> CellOutput:
    """Add the outputs of request ``msg_id`` to ``output`` until the kernel is idle, or until
    ``until(output)`` holds (the cell then still runs)."""
    deadline = time.monotonic() + CELL_DEADLINE_SECONDS
    while True:
        message = client.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = message["msg_type"], message["content"]
        check_answer(f"magic output ({kind})", json.dumps(content))
        if kind == "stream":
            if content["name"] == "stdout":
                output.stdout += content["text"]
            else:
                output.stderr += content["text"]
        elif kind in ("display_data", "update_display_data", "execute_result"):
            output.bundles.append(content["data"])
        elif kind == "error":
            output.error = content
        elif kind == "status" and content["execution_state"] == "idle":
            return output
        if until is not None and until(output):
            return output


def wait_until_answering(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Jupyter server exited:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the Jupyter server did not answer in time:\n{log.read_text()[-4000:]}")


@dataclass(frozen=True)
class JupyterServer:
    url: str
    token: str
    home: Path
    root_dir: Path
    log: Path

    def request(self, method: str, path: str, body: Any = None) -> Any:
        request = urllib.request.Request(
            f"{self.url}{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read() or b"null")


@pytest.fixture(scope="module")
def extension_config() -> dict[str, Any]:
    """``c.ModelArtsExtension`` of the module's server; a test module may override it."""
    return {
        # Notebook instances as simulated runtimes (no Jupyter server per instance), and
        # documented delays (creating, stopping, ...) 50 times shorter.
        "local_modules": {"instances": {"runtime": "simulated"}},
        "local_speed": 50.0,
    }


@pytest.fixture(scope="module")
def jupyter_server(
    tmp_path_factory: pytest.TempPathFactory, extension_config: dict[str, Any]
) -> Iterator[JupyterServer]:
    """A Jupyter server with jupyterlab_modelarts on Local ModelArts, in its own home."""
    home = tmp_path_factory.mktemp("home")
    root_dir = tmp_path_factory.mktemp("root")
    port, token = free_port(), secrets.token_hex(16)
    log = home / "server.log"
    (home / "config").mkdir()
    server_config = {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_modelarts": True}},
        "ModelArtsExtension": extension_config,
    }
    (home / "config" / "jupyter_server_config.json").write_text(json.dumps(server_config))
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyter_server",
                "--no-browser",
                "--ip=127.0.0.1",
                f"--port={port}",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={root_dir}",
                "--allow-root",
            ],
            env=isolated_environment(home),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    server = JupyterServer(f"http://127.0.0.1:{port}/", token, home, root_dir, log)
    try:
        wait_until_answering(f"{server.url}api/status?token={token}", process, log)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def started_client(connection_file: Path) -> BlockingKernelClient:
    client = BlockingKernelClient()
    client.load_connection_file(str(connection_file))
    # The heartbeat gives a kernel 1 s to answer; a busy machine misses that without the kernel
    # being dead ("Kernel died before replying to kernel_info").
    client.hb_channel.time_to_dead = 10.0
    client.start_channels()
    client.wait_for_ready(timeout=STARTUP_DEADLINE_SECONDS)
    loaded = run_cell(client, "%load_ext jupyterlab_modelarts")
    assert loaded.error is None and not loaded.stderr, loaded
    return client


@pytest.fixture(scope="module")
def server_session(jupyter_server: JupyterServer) -> Iterator[dict[str, Any]]:
    """A notebook session at the server's root, with its kernel, as JupyterLab starts it."""
    session = jupyter_server.request(
        "POST",
        "api/sessions",
        {"path": "magics.ipynb", "type": "notebook", "name": "", "kernel": {"name": "python3"}},
    )
    try:
        yield session
    finally:
        jupyter_server.request("DELETE", f"api/sessions/{session['id']}")


@pytest.fixture(scope="module")
def server_kernel(
    jupyter_server: JupyterServer, server_session: dict[str, Any]
) -> Iterator[BlockingKernelClient]:
    """The session's kernel, with the magics loaded."""
    kernel_id = server_session["kernel"]["id"]
    client = started_client(jupyter_server.home / "runtime" / f"kernel-{kernel_id}.json")
    try:
        yield client
    finally:
        client.stop_channels()


@pytest.fixture(scope="module")
def plain_kernel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BlockingKernelClient]:
    """A kernel no Jupyter server knows (like plain IPython), with the magics loaded."""
    home = tmp_path_factory.mktemp("plain-home")
    env = isolated_environment(home)
    manager = KernelManager(kernel_name="python3", connection_file=str(home / "plain-kernel.json"))
    # The kernel's folder is what it trains from: not the home that holds Local ModelArts' data.
    work = home / "work"
    work.mkdir()
    manager.start_kernel(env=env, cwd=str(work))
    client = started_client(Path(manager.connection_file))
    try:
        yield client
    finally:
        client.stop_channels()
        manager.shutdown_kernel()
