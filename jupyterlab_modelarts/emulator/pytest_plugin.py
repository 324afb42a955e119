"""pytest fixtures that run Local ModelArts, like moto's (registered as the ``modelarts_local``
pytest11 entry point).

``modelarts_local`` (per test) and ``modelarts_local_session`` (shared by a session) yield a
:class:`LocalModelArts`: a running emulator on a free 127.0.0.1 port with a temporary data
dir. Override ``modelarts_local_config`` to change settings (e.g. ``speed``, module settings).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..cloud.signing import Acs3Signer, SdkHmacSigner
from . import auth
from .background import BackgroundEmulator
from .config import EmulatorConfig
from .context import EmulatorContext
from .faults import Fault
from .obs_storage import ObjectStorage
from .store import Store


def fast_test_modules() -> dict[str, dict[str, Any]]:
    """Module settings for tests: notebook instances answer from the emulator itself instead of
    starting a Jupyter server each (tests that want real servers override the config)."""
    return {"instances": {"runtime": "simulated"}}


class LocalModelArts:
    """A running emulator and shortcuts for tests."""

    def __init__(self, emulator: BackgroundEmulator) -> None:
        self.emulator = emulator

    @property
    def base_url(self) -> str:
        return self.emulator.base_url

    @property
    def config(self) -> EmulatorConfig:
        """Accepted credentials: access_key, secret_key, project_id, iam_*, pai_*, admin_key."""
        return self.emulator.config

    @property
    def ctx(self) -> EmulatorContext:
        return self.emulator.ctx

    @property
    def store(self) -> Store:
        return self.ctx.store

    @property
    def obs(self) -> ObjectStorage:
        return self.ctx.obs

    @property
    def project_url(self) -> str:
        """``<base_url>/v1/<project_id>``."""
        return f"{self.base_url}/v1/{self.config.project_id}"

    def token(self) -> str:
        """A fresh IAM token (as if from POST /v3/auth/tokens)."""
        token, _record = auth.issue_token(self.ctx, methods=["password"])
        return token

    def signer(self) -> SdkHmacSigner:
        return SdkHmacSigner(self.config.access_key, self.config.secret_key)

    def pai_signer(self) -> Acs3Signer:
        return Acs3Signer(self.config.pai_access_key, self.config.pai_secret)

    def add_fault(self, spec: dict[str, Any]) -> Fault:
        """Activate a fault (see faults.py for the fields)."""
        return self.ctx.faults.add(Fault.from_dict(spec))

    def clear_faults(self) -> None:
        self.ctx.faults.clear()

    def expire_tokens(self) -> int:
        return auth.expire_tokens(self.ctx)


def _run(config: EmulatorConfig) -> Iterator[LocalModelArts]:
    with BackgroundEmulator(config) as emulator:
        yield LocalModelArts(emulator)


@pytest.fixture
def modelarts_local_config(tmp_path: Path) -> EmulatorConfig:
    """Settings of the per-test emulator; override in a conftest to change them."""
    return EmulatorConfig(
        data_dir=tmp_path / "modelarts-local", speed=50.0, modules=fast_test_modules()
    )


@pytest.fixture
def modelarts_local(modelarts_local_config: EmulatorConfig) -> Iterator[LocalModelArts]:
    """A Local ModelArts for one test."""
    yield from _run(modelarts_local_config)


@pytest.fixture(scope="session")
def modelarts_local_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalModelArts]:
    """One Local ModelArts shared by every test of the session (state accumulates)."""
    data_dir = tmp_path_factory.mktemp("modelarts-local-session")
    yield from _run(EmulatorConfig(data_dir=data_dir, speed=50.0, modules=fast_test_modules()))
