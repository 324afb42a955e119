"""Local ModelArts' files on a shared host: its data folder, state and notebook instances'
folders are the user's only, and no instance token is on a command line."""

from __future__ import annotations

import asyncio
import secrets
import stat
from pathlib import Path

import psutil

from jupyterlab_modelarts.emulator.app import STATE_FILE, EmulatorServer
from jupyterlab_modelarts.emulator.config import EmulatorConfig
from jupyterlab_modelarts.emulator.instances.jupyter import JupyterServerRuntime
from jupyterlab_modelarts.emulator.instances.runtime import Health

DEADLINE_SECONDS = 90


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_the_data_folder_and_the_state_are_private(tmp_path):
    data_dir = tmp_path / "modelarts-local"
    data_dir.mkdir(mode=0o755)  # a folder an older version made: narrowed
    async with EmulatorServer(EmulatorConfig(data_dir=data_dir)) as server:
        assert mode(data_dir) == 0o700
        assert mode(data_dir / STATE_FILE) == 0o600
        assert server.ctx is not None
        assert mode(server.ctx.work_dir("training", "1")) == 0o700


async def test_a_notebook_server_keeps_its_token_off_the_command_line(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    runtime = JupyterServerRuntime()
    token = secrets.token_hex(16)
    folder = tmp_path / "instances" / "one"
    try:
        runtime.launch("one", folder, token, tmp_path / "state" / "one")
        deadline = asyncio.get_running_loop().time() + DEADLINE_SECONDS
        while (probe := runtime.probe("one")).health is Health.STARTING:
            assert asyncio.get_running_loop().time() < deadline, "the server never answered"
            await asyncio.sleep(0.2)
        assert probe.health is Health.READY, probe.reason
        for process in psutil.Process().children(recursive=True):
            assert token not in " ".join(process.cmdline()), process.cmdline()
        private = tmp_path / "state" / "one" / "jupyter"
        for path in (folder, private.parent, private / "config", private / "runtime"):
            assert mode(path) == 0o700, path
        assert mode(private / "config" / "jupyter_server_config.json") == 0o600
    finally:
        runtime.close()
