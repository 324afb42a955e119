"""Shared by the instance API tests (notebooks, DevEnviron, workspaces, PAI DSW): the official
clients pointed at Local ModelArts, fast emulator settings, and polling with a deadline."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkmodelarts.v1 import ModelArtsClient

from jupyterlab_modelarts.emulator.config import EmulatorConfig

T = TypeVar("T")


def fast_config(tmp_path: Path, **changes: Any) -> EmulatorConfig:
    """Simulated instances; 3,600 documented seconds pass in 1 s, so the shortest auto stop
    (1 h) ends within a test."""
    settings: dict[str, Any] = {
        "data_dir": tmp_path / "modelarts-local",
        "speed": 3600.0,
        "modules": {"instances": {"runtime": "simulated", "tick_seconds": 0.02}},
    }
    settings.update(changes)
    return EmulatorConfig(**settings)


def modelarts_client(local: Any, *, secret_key: str | None = None) -> ModelArtsClient:
    """The official SDK client, signing with the emulator's AK/SK (or a wrong secret)."""
    config = local.config
    credentials = BasicCredentials(
        config.access_key, secret_key or config.secret_key, config.project_id
    )
    return (
        ModelArtsClient.new_builder()
        .with_credentials(credentials)
        .with_endpoint(local.base_url)
        .build()
    )


def wait_for(read: Callable[[], T], done: Callable[[T], bool], timeout: float = 10.0) -> T:
    """Poll ``read`` until ``done`` holds or the deadline passes; the last value either way."""
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.02)
