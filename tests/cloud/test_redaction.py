"""Tokens and signatures never reach a log record, even with the HTTP stack at DEBUG level."""

from __future__ import annotations

import logging

from jupyterlab_modelarts.cloud import AccessKey, IamPassword, ModelArts
from jupyterlab_modelarts.cloud.redaction import redact


def test_header_values_are_redacted_in_httpcore_traces():
    trace = (
        "receive_response_headers.complete return_value=(b'HTTP/1.1', 201, b'Created', "
        "[(b'X-Request-Id', b'abc'), (b'X-Subject-Token', b'MIILsecret'), "
        "(b'Authorization', b'SDK-HMAC-SHA256 Access=AK, Signature=ff')])"
    )
    redacted = redact(trace)
    assert "MIILsecret" not in redacted
    assert "Signature=ff" not in redacted
    assert "(b'X-Request-Id', b'abc')" in redacted


async def test_a_debug_log_of_real_calls_holds_no_token(modelarts_local, caplog):
    caplog.set_level(logging.DEBUG)
    config = modelarts_local.config
    password = IamPassword(
        username=config.iam_user, password=config.iam_password, domain=config.iam_domain
    )
    async with ModelArts(
        password,
        region=config.region,
        endpoint=modelarts_local.base_url,
        iam_endpoint=modelarts_local.base_url,
    ) as ma:
        await ma.workspaces.list()
        token = (await ma.auth.token()).value
    async with ModelArts(
        AccessKey(config.access_key, config.secret_key),
        region=config.region,
        endpoint=modelarts_local.base_url,
        iam_endpoint=modelarts_local.base_url,
    ) as ma:
        await ma.workspaces.list()
    assert "x-subject-token" in caplog.text.lower()  # the trace was logged, redacted
    assert token not in caplog.text
    assert config.iam_password not in caplog.text
    assert config.secret_key not in caplog.text
