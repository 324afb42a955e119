"""Shared setup of the emulator tests: a private HOME (the official Huawei SDK writes
$HOME/.huaweicloud) and fast state machines."""

from __future__ import annotations

from pathlib import Path

import pytest

from jupyterlab_modelarts.emulator.config import EmulatorConfig
from jupyterlab_modelarts.emulator.pytest_plugin import fast_test_modules


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    return home


@pytest.fixture
def modelarts_local_config(tmp_path: Path) -> EmulatorConfig:
    return EmulatorConfig(
        data_dir=tmp_path / "modelarts-local", speed=100.0, modules=fast_test_modules()
    )
