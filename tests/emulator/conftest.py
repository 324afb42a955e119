"""Shared setup of the emulator tests: a private HOME (the official Huawei SDK writes
$HOME/.huaweicloud) and fast state machines."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
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


@pytest.fixture
def project_api(modelarts_local: Any) -> Iterator[httpx.Client]:
    """An HTTP client of the fixture's project (`/v1/<project_id>`), with a valid token."""
    with httpx.Client(
        base_url=modelarts_local.project_url,
        headers={"X-Auth-Token": modelarts_local.token()},
        timeout=30,
    ) as client:
        yield client
