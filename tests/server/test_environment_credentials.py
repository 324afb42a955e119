"""Credentials from the environment make a managed, active cloud profile (the JupyterHub case)."""

from __future__ import annotations

import json
import logging

import pytest

SECRET_CANARY = "SK-CANARY-5d41402abc4b2a76b9719d911017c592"


@pytest.fixture
def environment_secret_key(modelarts_local):
    return modelarts_local.config.secret_key


@pytest.fixture
def modelarts_config(modelarts_local, tmp_path, monkeypatch, environment_secret_key):
    # Set before the server starts, as a hub sets a user's environment.
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", modelarts_local.config.access_key)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", environment_secret_key)
    return {
        "profiles_dir": str(tmp_path / "profiles"),
        "endpoints": {"modelarts": modelarts_local.base_url, "iam": modelarts_local.base_url},
    }


async def status(jp_fetch) -> dict:
    response = await jp_fetch("modelarts", "api", "v1", "status")
    return json.loads(response.body)


async def test_environment_keys_make_the_active_profile(jp_fetch, modelarts_local):
    body = await status(jp_fetch)
    assert body["profile"] == "huaweicloud"
    assert body["credentials"]["source"] == "environment"
    assert body["project_id"] == modelarts_local.config.project_id
    assert body["connection"] == {"state": "ok"}
    assert modelarts_local.config.secret_key not in json.dumps(body)


@pytest.mark.parametrize("environment_secret_key", [SECRET_CANARY])
async def test_wrong_environment_keys_show_auth_failed_without_the_secret(jp_fetch, caplog):
    caplog.set_level(logging.DEBUG)
    body = await status(jp_fetch)
    assert body["connection"]["state"] == "auth_failed"
    assert body["connection"]["upstream"]["status"] == 401
    assert SECRET_CANARY not in json.dumps(body)
    assert SECRET_CANARY not in caplog.text
