"""Settings from the environment (proxies, CA bundle) and token lifetime handling."""

from __future__ import annotations

import pytest

from jupyterlab_modelarts.cloud.errors import ValidationError
from jupyterlab_modelarts.cloud.transport import HttpSession
from jupyterlab_modelarts.cloud.waiters import wait_until
from jupyterlab_modelarts.emulator.config import EmulatorConfig


@pytest.fixture
def modelarts_local_config(tmp_path):
    return EmulatorConfig(data_dir=tmp_path / "modelarts-local", token_ttl_seconds=1.5)


async def test_loopback_calls_bypass_a_configured_proxy(monkeypatch, connect):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.delenv("NO_PROXY", raising=False)
    async with connect() as ma:
        assert (await ma.workspaces.list()).workspaces


async def test_a_bad_ca_bundle_is_reported_by_name(monkeypatch, tmp_path):
    monkeypatch.setenv("MODELARTS_CA_BUNDLE", str(tmp_path / "missing.pem"))
    with pytest.raises(ValidationError) as caught:
        HttpSession()
    assert caught.value.field == "MODELARTS_CA_BUNDLE"


async def test_token_is_renewed_before_it_expires(connect, iam_password):
    async with connect(iam_password) as ma:
        first = await ma._token_auth.token()
        renewed = await wait_until(
            ma._token_auth.token, lambda token: token is not first, timeout=5, interval=0.05
        )
        assert renewed.expires_at > first.expires_at
        assert (await ma.workspaces.list()).workspaces  # never sent an expired token
