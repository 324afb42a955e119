"""Bodies, ids and numbers no client should send get a 4xx on their field, never a server
error; nothing large is read for a caller who is not signed in."""

from __future__ import annotations

import json

import pytest
from tornado.httpclient import AsyncHTTPClient, HTTPClientError

from jupyterlab_modelarts.handlers.base import JSON_BODY_LIMIT
from jupyterlab_modelarts.whole_numbers import parse_whole_number

NESTED = b'{"name": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
HUGE_NUMBER = b'{"name": "p", "region": ' + b"9" * 5000 + b"}"


async def post_raw(jp_fetch, body: bytes, *path: str):
    response = await jp_fetch(
        "modelarts", "api", "v1", *path, method="POST", body=body, raise_error=False
    )
    return response.code, json.loads(response.body)


@pytest.mark.parametrize("body", [NESTED, HUGE_NUMBER], ids=["nested", "huge-number"])
async def test_odd_json_is_a_400(jp_fetch, body):
    code, answer = await post_raw(jp_fetch, body, "profiles")
    assert code == 400, answer
    assert answer["error"]["code"] == "INVALID_JSON"


async def test_a_body_over_the_limit_is_a_413(jp_fetch):
    code, answer = await post_raw(jp_fetch, b" " * (JSON_BODY_LIMIT + 1), "profiles")
    assert code == 413 and answer["error"]["code"] == "BODY_TOO_LARGE"


async def test_without_a_token_a_large_body_is_refused(
    jp_base_url, http_server_client, jp_http_port
):
    url = f"http://localhost:{jp_http_port}{jp_base_url}modelarts/api/v1/profiles"
    with pytest.raises(HTTPClientError) as refused:
        await AsyncHTTPClient().fetch(url, method="POST", body=b" " * (8 * 1024 * 1024))
    assert refused.value.code == 403


async def test_overlong_ids_and_odd_digits_are_refused_on_their_field(api):
    code, answer = await api("GET", "training", "jobs", "1", "versions", "9" * 5000)
    assert code == 400 and answer["error"]["field"] == "version_id", answer
    for raw in ("²", "9" * 5000):
        code, answer = await api("GET", "catalog", "specs", engine_id=raw)
        assert code == 400 and answer["error"]["field"] == "engine_id", answer


def test_whole_numbers_are_ascii_digits_of_bounded_length():
    assert parse_whole_number("42") == 42
    for text in ("²", "١٢", " 7", "1_0", "-1", "", "9" * 19, None):
        assert parse_whole_number(text) is None, text
