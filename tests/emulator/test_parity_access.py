"""IAM and Notebooks accept what the cloud accepts and refuse what it refuses (issue 20)."""

from __future__ import annotations

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


def password_token(modelarts_local: Any, scope: dict[str, Any]) -> httpx.Response:
    config = modelarts_local.config
    return httpx.post(
        f"{modelarts_local.base_url}/v3/auth/tokens",
        json={
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
        },
    )


def test_an_account_scoped_token_is_issued_and_kept_out_of_project_apis(modelarts_local):
    """004 §3.1: "You can set scope to an account or a project under an account." and §3.2:
    "When calling the API to obtain a user token, you must set auth.scope in the request body
    to project." (for ModelArts)."""
    domain = modelarts_local.config.iam_domain
    issued = password_token(modelarts_local, {"domain": {"name": domain}})
    assert issued.status_code == 201, issued.text
    body = issued.json()["token"]
    assert body["domain"]["name"] == domain and "project" not in body
    token = issued.headers["X-Subject-Token"]

    projects = httpx.get(
        f"{modelarts_local.base_url}/v3/auth/projects", headers={"X-Auth-Token": token}
    )
    assert projects.status_code == 200
    modelarts = httpx.get(
        f"{modelarts_local.project_url}/notebooks", headers={"X-Auth-Token": token}
    )
    assert (modelarts.status_code, modelarts.json()["error_code"]) == (403, "ModelArts.0210")

    other = password_token(modelarts_local, {"domain": {"name": "someone-else"}})
    assert other.status_code == 401


@pytest.fixture
def api(modelarts_local):
    with httpx.Client(
        base_url=modelarts_local.project_url,
        headers={"X-Auth-Token": modelarts_local.token()},
        timeout=30,
    ) as client:
        yield client


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
def test_a_duration_over_the_threshold_gets_6349(api, field):
    """004 §10.2 "ModelArts.6349 The value of duration exceeds the threshold." (the threshold,
    259,200,000 ms, is the official SDK's; seed 002 gives none)."""
    too_long = 259_200_001
    value = {"duration": too_long} if field == "lease" else too_long
    refused = api.post("/notebooks", json=notebook(**{field: value}))
    assert (refused.status_code, refused.json()["error_code"]) == (400, "ModelArts.6349")
    within = {"duration": 259_200_000} if field == "lease" else 259_200_000
    assert api.post("/notebooks", json=notebook(**{field: within})).status_code == 200
