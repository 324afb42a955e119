"""IAM and Notebooks accept what the cloud accepts and refuse what it refuses (issue 20)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from instances_support import fast_config

from jupyterlab_modelarts.emulator.config import EmulatorConfig

BUILT_IN_IMAGE = "e1a07296-22a8-4f05-8bc8-e936c8e54090"


@pytest.fixture
def modelarts_local_config(tmp_path: Path) -> EmulatorConfig:
    return fast_config(tmp_path)


def password_token(modelarts_local: Any, scope: dict[str, Any]) -> tuple[int, Any, str]:
    """(status, body, X-Subject-Token) of a password token request. Sent with urllib: httpx's
    debug log would print the token header (a leak the secret canaries catch)."""
    config = modelarts_local.config
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {
                        "name": config.iam_user,
                        "password": config.iam_password,
                        "domain": {"name": config.iam_domain},
                    }
                },
            },
            "scope": scope,
        }
    }
    request = urllib.request.Request(
        f"{modelarts_local.base_url}/v3/auth/tokens",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read()), response.headers["X-Subject-Token"]
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), ""


def test_an_account_scoped_token_is_issued_and_kept_out_of_project_apis(modelarts_local):
    """004 §3.1: "You can set scope to an account or a project under an account." and §3.2:
    "When calling the API to obtain a user token, you must set auth.scope in the request body
    to project." (for ModelArts)."""
    domain = modelarts_local.config.iam_domain
    status, issued, token = password_token(modelarts_local, {"domain": {"name": domain}})
    assert status == 201, issued
    body = issued["token"]
    assert body["domain"]["name"] == domain and "project" not in body

    projects = httpx.get(
        f"{modelarts_local.base_url}/v3/auth/projects", headers={"X-Auth-Token": token}
    )
    assert projects.status_code == 200
    modelarts = httpx.get(
        f"{modelarts_local.project_url}/notebooks", headers={"X-Auth-Token": token}
    )
    assert (modelarts.status_code, modelarts.json()["error_code"]) == (403, "ModelArts.0210")

    status, _, _ = password_token(modelarts_local, {"domain": {"name": "someone-else"}})
    assert status == 401


@pytest.fixture
def api(project_api):
    return project_api


def notebook(**changes: Any) -> dict[str, Any]:
    return {
        "name": "parity",
        "flavor": "modelarts.vm.cpu.2u",
        "image_id": BUILT_IN_IMAGE,
        "volume": {"category": "EFS", "ownership": "MANAGED", "capacity": 50},
        **changes,
    }


def test_an_image_the_user_saved_is_accepted_by_its_uuid(api):
    """002 image_id: "The ID is in Universally Unique Identifier (UUID) format." and image
    type "DEDICATED: image saved by the user": any image UUID may name one."""
    saved = "0b7a5c52-7d5e-4a3b-9a1d-2f0c6c7e9a10"
    created = api.post("/notebooks", json=notebook(image_id=saved))
    assert created.status_code == 200, created.text
    image = api.get(f"/notebooks/{created.json()['id']}").json()["image"]
    assert (image["id"], image["type"]) == (saved, "DEDICATED")
    refused = api.post("/notebooks", json=notebook(image_id="not-a-uuid"))
    assert refused.status_code == 400 and "image_id" in refused.json()["error_msg"]


@pytest.mark.parametrize("field", ["duration", "lease"])
def test_a_duration_is_taken_without_the_sdks_range(api, field):
    """002 `duration`: "Running duration calculated from the current time, in milliseconds."
    with no range, so a duration outside the official SDK's (3600000-259200000, the cloud's
    real limit) is served; a non-number is still refused."""
    for outside in (60_000, 259_200_001):
        value = {"duration": outside} if field == "lease" else outside
        created = api.post("/notebooks", json=notebook(**{field: value}))
        assert created.status_code == 200, created.text
        lease = api.get(f"/notebooks/{created.json()['id']}").json()["lease"]
        assert lease["duration"] == outside
    wrong = {"duration": "long"} if field == "lease" else "long"
    assert api.post("/notebooks", json=notebook(**{field: wrong})).status_code == 400


def test_aksk_signed_bodies_over_12_mb_are_refused(modelarts_local):
    """004 §3.2: "AK/SK-based authentication supports API requests with a body not larger than
    12 MB." The route that takes the largest bodies (predictions) stops there."""
    url = f"{modelarts_local.base_url}/v1/infers/no-such-service"
    headers = {"Content-Type": "application/json"}
    for size, refused in ((12 * 1024 * 1024 + 1, True), (100, False)):
        body = b'{"data": "' + b"x" * (size - 12) + b'"}'
        signed = modelarts_local.signer().sign("POST", url, headers, body)
        answer = httpx.post(signed.url, headers=signed.headers, content=body, timeout=60)
        assert (answer.status_code == 413) is refused, (size, answer.text)


def test_request_ids_have_the_documented_form(api):
    """004 §3.3 X-request-id: "request_id-timestamp-hostname (request_id is the UUID generated
    on the server, timestamp indicates the current timestamp, and hostname is the name of the
    server that processes the current API.)\""""
    request_id = api.get("/workspaces").headers["X-Request-Id"]
    uuid_part, timestamp, hostname = request_id[:36], *request_id[37:].split("-", 1)
    assert str(uuid.UUID(uuid_part)) == uuid_part
    assert timestamp.isdigit() and len(timestamp) == 13
    assert hostname == "local-modelarts"


def test_statuses_follow_the_status_code_table(api, modelarts_local):
    """004 Table 10-1: "400 BadRequest The request is invalid.", "401 Unauthorized",
    "403 Forbidden The request has been rejected.", "404 NotFound The requested resource cannot
    be found.", "405 MethodNotAllowed", "409 Conflict ... the resource that the client attempts
    to create already exits"."""
    project_url = modelarts_local.project_url
    other_project = project_url.rsplit("/", 1)[0] + "/" + "f" * 32
    token = {"X-Auth-Token": modelarts_local.token()}
    created = api.post("/workspaces", json={"name": "table-ws"})
    assert created.status_code == 200, created.text
    answers = {
        400: api.post("/workspaces", json={"name": ""}),
        401: httpx.get(f"{project_url}/workspaces", headers={"X-Auth-Token": "nope"}),
        403: httpx.get(f"{other_project}/workspaces", headers=token),
        404: api.get("/workspaces/" + "0" * 32),
        405: api.patch("/workspaces"),
        409: api.post("/workspaces", json={"name": "table-ws"}),
    }
    for status, answer in answers.items():
        assert answer.status_code == status, (status, answer.text)
        assert answer.json()["error_code"].startswith("ModelArts.")


def test_the_notebook_list_takes_any_positive_limit(api):
    """Seed 002 gives the list no `limit` rule (the official SDK's [10, 20, 50] is the cloud's):
    a page of 15 is served; 0 is still refused."""
    page = api.get("/notebooks", params={"limit": 15})
    assert page.status_code == 200, page.text
    assert len(page.json()["data"]) <= 15
    assert api.get("/notebooks", params={"limit": 0}).status_code == 400
