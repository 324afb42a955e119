"""The pytest fixtures the package exports (pytest11 entry point ``modelarts_local``)."""

from __future__ import annotations

import httpx


def test_modelarts_local_fixture_serves_every_family(modelarts_local):
    base = modelarts_local.base_url
    assert base.startswith("http://127.0.0.1:")
    token = modelarts_local.token()
    projects = httpx.get(f"{base}/v3/projects", headers={"X-Auth-Token": token})
    assert projects.json()["projects"][0]["id"] == modelarts_local.config.project_id

    signed = modelarts_local.signer().sign("GET", f"{base}/v3/projects")
    assert httpx.get(signed.url, headers=signed.headers).status_code == 200

    modelarts_local.obs.create_bucket("fixture-bucket")
    modelarts_local.obs.write("obs://fixture-bucket/a.txt", b"a")
    assert modelarts_local.obs.local_path("/fixture-bucket/a.txt").read_bytes() == b"a"


def test_fixture_faults_and_token_expiry(modelarts_local):
    token = modelarts_local.token()
    url = f"{modelarts_local.base_url}/v3/projects"
    modelarts_local.add_fault(
        {"route": "^/v3/projects$", "kind": "status", "status": 503, "times": 1}
    )
    assert httpx.get(url, headers={"X-Auth-Token": token}).status_code == 503
    assert httpx.get(url, headers={"X-Auth-Token": token}).status_code == 200
    modelarts_local.expire_tokens()
    assert httpx.get(url, headers={"X-Auth-Token": token}).status_code == 401


def test_session_fixture(modelarts_local_session):
    response = httpx.get(modelarts_local_session.base_url + "/v3")
    assert response.status_code == 200
