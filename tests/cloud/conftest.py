"""Cloud client tests run against Local ModelArts over real HTTP on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from jupyterlab_modelarts.cloud.credentials import AccessKey, IamPassword
from jupyterlab_modelarts.cloud.modelarts import ModelArts
from jupyterlab_modelarts.cloud.obs import ObsTransfer
from jupyterlab_modelarts.cloud.policy import RetryPolicy, Timeouts
from jupyterlab_modelarts.emulator.config import EmulatorConfig
from jupyterlab_modelarts.emulator.pytest_plugin import LocalModelArts

#: Fast retries so that fault tests take milliseconds.
FAST_RETRY = RetryPolicy(
    max_attempts=4, base_delay=0.01, max_delay=0.05, max_retry_after=2.0, reconcile_delay=0.6
)


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
        data_dir=tmp_path / "modelarts-local",
        speed=200.0,
        modules={"instances": {"runtime": "simulated", "tick_seconds": 0.02}},
    )


@pytest.fixture
def access_key(modelarts_local: LocalModelArts) -> AccessKey:
    return AccessKey(modelarts_local.config.access_key, modelarts_local.config.secret_key)


@pytest.fixture
def iam_password(modelarts_local: LocalModelArts) -> IamPassword:
    config = modelarts_local.config
    return IamPassword(config.iam_user, config.iam_password, config.iam_domain)


Connect = Callable[..., ModelArts]


@pytest.fixture
def connect(modelarts_local: LocalModelArts, access_key: AccessKey) -> Connect:
    """``connect(credentials=None, **options)``: a ModelArts client of the emulator (AK/SK by
    default, fast retries, short timeouts)."""

    def make(credentials: AccessKey | IamPassword | None = None, **options: Any) -> ModelArts:
        options.setdefault("retry", FAST_RETRY)
        options.setdefault("timeouts", Timeouts(connect=2, read=5, write=5, create=5))
        return ModelArts(
            credentials or access_key,
            region=modelarts_local.config.region,
            endpoint=modelarts_local.base_url,
            iam_endpoint=modelarts_local.base_url,
            **options,
        )

    return make


@pytest.fixture
async def ma(connect: Connect) -> AsyncIterator[ModelArts]:
    """A client signing with the emulator's AK/SK (project looked up in IAM)."""
    async with connect() as client:
        yield client


@pytest.fixture
def obs_options() -> dict[str, Any]:
    """Extra ``ObsTransfer`` options of the ``obs`` fixture; override in a test module."""
    return {}


@pytest.fixture
async def obs(
    modelarts_local: LocalModelArts, access_key: AccessKey, tmp_path: Path, obs_options: dict
) -> AsyncIterator[ObsTransfer]:
    """Transfers to Local ModelArts' object store, with a bucket ``models`` and 5 MiB parts."""
    modelarts_local.obs.create_bucket("models")
    async with ObsTransfer(
        access_key,
        endpoint=modelarts_local.base_url,
        part_size=5 * 1024 * 1024,
        checkpoint_dir=tmp_path / "checkpoints",
        **obs_options,
    ) as transfer:
        yield transfer
