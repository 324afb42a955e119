"""Credentials against Local ModelArts: AK/SK signing, IAM password tokens (cached, refreshed
before expiry and after a 401), project lookup, and the errors of wrong credentials."""

from __future__ import annotations

import pytest

from jupyterlab_modelarts.cloud.credentials import AccessKey, IamPassword
from jupyterlab_modelarts.cloud.errors import AuthError, ValidationError


async def test_access_key_finds_project_and_lists(modelarts_local, connect):
    async with connect() as ma:
        assert await ma.project_id() == modelarts_local.config.project_id
        listing = await ma.workspaces.list()
    assert any(ws.id == "0" for ws in listing.workspaces)


async def test_wrong_secret_key_is_an_auth_error_with_request_id(modelarts_local, connect):
    wrong = AccessKey(modelarts_local.config.access_key, "not-the-secret")
    async with connect(wrong, project_id=modelarts_local.config.project_id) as ma:
        with pytest.raises(AuthError) as caught:
            await ma.workspaces.list()
    assert caught.value.status == 401
    assert caught.value.request_id
    assert "not-the-secret" not in str(caught.value)


async def test_password_token_is_fetched_once_and_reused(modelarts_local, connect, iam_password):
    async with connect(iam_password) as ma:
        await ma.workspaces.list()
        first = await ma._token_auth.token()
        await ma.workspaces.list()
        assert await ma._token_auth.token() is first
        assert await ma.project_id() == modelarts_local.config.project_id
        assert first.value not in repr(first)


async def test_expired_token_is_refreshed_once_after_401(modelarts_local, connect, iam_password):
    async with connect(iam_password) as ma:
        await ma.workspaces.list()
        first = await ma._token_auth.token()
        modelarts_local.expire_tokens()
        listing = await ma.workspaces.list()
        assert listing.workspaces
        assert (await ma._token_auth.token()).value != first.value


async def test_wrong_password_is_an_auth_error(modelarts_local, connect):
    config = modelarts_local.config
    wrong = IamPassword(config.iam_user, "wrong-password", config.iam_domain)
    async with connect(wrong) as ma:
        with pytest.raises(AuthError) as caught:
            await ma.workspaces.list()
    assert caught.value.status == 401
    assert "wrong-password" not in str(caught.value)


async def test_temporary_access_key_sends_security_token(modelarts_local, connect):
    token = modelarts_local.token()
    async with connect() as ma:
        reply = await ma.iam._client.send(
            "POST",
            "/v3.0/OS-CREDENTIAL/securitytokens",
            body={
                "auth": {
                    "identity": {"methods": ["token"], "token": {"id": token}},
                }
            },
            headers={"X-Auth-Token": token},
        )
    credential = reply.body["credential"]
    temporary = AccessKey(
        credential["access"], credential["secret"], security_token=credential["securitytoken"]
    )
    assert temporary.temporary and credential["secret"] not in repr(temporary)
    async with connect(temporary) as ma:
        assert (await ma.workspaces.list()).workspaces


def test_empty_credentials_are_rejected_before_sending():
    with pytest.raises(ValidationError) as caught:
        AccessKey("", "secret")
    assert caught.value.field == "access_key"
