"""Bodies and numbers no client should send: each gets a 4xx on its field, never a server
error, and nothing large is read before the caller is known."""

from __future__ import annotations

import httpx
import pytest

from jupyterlab_modelarts.emulator.handler import JSON_BODY_LIMIT

NESTED = b"[" * 100_000 + b"]" * 100_000
HUGE_NUMBER = b'{"auth": {"identity": {"methods": [' + b"9" * 5000 + b"]}}}"


@pytest.fixture
def emulator(modelarts_local):
    return modelarts_local


def signed_post(emulator, path: str, body: bytes) -> httpx.Response:
    signed = emulator.signer().sign(
        "POST", emulator.base_url + path, {"Content-Type": "application/json"}, body
    )
    return httpx.post(signed.url, headers=signed.headers, content=body)


@pytest.mark.parametrize("body", [NESTED, HUGE_NUMBER], ids=["nested", "huge-number"])
def test_odd_json_is_a_400_on_open_and_signed_routes(emulator, body):
    tokens = httpx.post(
        f"{emulator.base_url}/v3/auth/tokens",
        content=body,
        headers={"Content-Type": "application/json"},
    )
    assert tokens.status_code == 400, tokens.text
    project = emulator.config.project_id
    jobs = signed_post(emulator, f"/v1/{project}/training-jobs", body)
    assert jobs.status_code == 400, jobs.text
    assert jobs.json()["error_code"] == "ModelArts.0107"


def test_a_body_over_the_limit_is_refused_before_it_is_read(emulator):
    project = emulator.config.project_id
    too_large = b"{" + b" " * JSON_BODY_LIMIT + b"}"
    answer = signed_post(emulator, f"/v1/{project}/training-jobs", too_large)
    assert answer.status_code == 413 and answer.json()["error_code"] == "ModelArts.0107"
    # Without credentials a body within the limit is not taken either.
    stranger = httpx.post(
        f"{emulator.base_url}/v1/{project}/training-jobs", content=b"{}" + b" " * 1000
    )
    assert stranger.status_code == 401


def test_odd_digits_and_overlong_numbers_are_refused_on_their_parameter(emulator):
    project = emulator.config.project_id
    for raw in ("²", "١٢", "9" * 5000):
        signed = emulator.signer().sign(
            "GET", f"{emulator.base_url}/v1/{project}/training-jobs/{'9' * 5000}/versions"
        )
        assert httpx.get(signed.url, headers=signed.headers).status_code == 404
        signed = emulator.signer().sign(
            "GET", f"{emulator.base_url}/v1/{project}/services?offset={raw}"
        )
        answer = httpx.get(signed.url, headers=signed.headers)
        assert answer.status_code == 400, (raw, answer.text)
        assert "offset" in answer.json()["error_msg"]
