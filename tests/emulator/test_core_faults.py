"""Fault injection through the admin endpoint and the config, seen over real HTTP."""

from __future__ import annotations

import time
import types
from collections.abc import Iterator

import httpx
import pytest

from jupyterlab_modelarts.emulator.app import CORE_MODULES, load_modules
from jupyterlab_modelarts.emulator.auth import issue_token
from jupyterlab_modelarts.emulator.background import BackgroundEmulator
from jupyterlab_modelarts.emulator.config import EmulatorConfig
from jupyterlab_modelarts.emulator.handler import EmulatorHandler


class ProbeHandler(EmulatorHandler):
    def get(self, project_id: str) -> None:
        self.send_json({"ok": True})


probe_module = types.ModuleType("probe")
probe_module.ROUTES = [(r"/v1/(?P<project_id>[^/]+)/probe", ProbeHandler)]  # type: ignore[attr-defined]


def _start(config: EmulatorConfig) -> BackgroundEmulator:
    return BackgroundEmulator(config, modules=[probe_module, *load_modules(CORE_MODULES)])


@pytest.fixture
def emulator(tmp_path) -> Iterator[BackgroundEmulator]:
    with _start(EmulatorConfig(data_dir=tmp_path / "data")) as running:
        yield running


def _admin(emulator: BackgroundEmulator, method: str, path: str, **kwargs) -> httpx.Response:
    headers = {"X-Admin-Key": emulator.config.admin_key}
    return httpx.request(method, emulator.base_url + path, headers=headers, **kwargs)


def _add(emulator: BackgroundEmulator, **spec) -> dict:
    response = _admin(emulator, "POST", "/_admin/faults", json=spec)
    assert response.status_code == 201, response.text
    return response.json()


def test_admin_endpoint_needs_the_admin_key(emulator):
    spec = {"route": "^/v3$", "kind": "status", "status": 503}
    for headers in ({}, {"X-Admin-Key": "guess"}):
        response = httpx.post(emulator.base_url + "/_admin/faults", json=spec, headers=headers)
        assert response.status_code == 401
    assert _admin(emulator, "GET", "/_admin/faults").json() == {"faults": []}
    assert httpx.get(emulator.base_url + "/v3").status_code == 200


def test_invalid_fault_names_the_field(emulator):
    response = _admin(emulator, "POST", "/_admin/faults", json={"route": "(", "kind": "status"})
    assert response.status_code == 400
    assert response.json()["error_msg"].startswith("route:")
    response = _admin(emulator, "POST", "/_admin/faults", json={"route": "x", "kind": "explode"})
    assert response.json()["error_msg"].startswith("kind:")


def test_status_faults_use_the_family_error_body_and_count_down(emulator):
    project = emulator.config.project_id
    _add(emulator, route="^/v3$", kind="status", status=503, times=1, message="IAM down")
    iam = httpx.get(emulator.base_url + "/v3")
    assert iam.status_code == 503
    assert iam.json() == {
        "error": {"code": 503, "message": "IAM down", "title": "Service Unavailable"}
    }
    assert httpx.get(emulator.base_url + "/v3").status_code == 200  # times=1 used up

    _add(emulator, route="/probe$", kind="status", status=500, code="ModelArts.0010", times=1)
    modelarts = httpx.get(f"{emulator.base_url}/v1/{project}/probe")
    assert modelarts.status_code == 500
    assert modelarts.json()["error_code"] == "ModelArts.0010"
    assert modelarts.headers["X-Request-Id"]

    _add(emulator, route="^/some-bucket", kind="status", status=503, times=1)
    obs = httpx.get(emulator.base_url + "/some-bucket/key")
    assert obs.status_code == 503 and b"<Code>ServiceUnavailable</Code>" in obs.content


def test_method_filter(emulator):
    _add(emulator, route="^/v3$", kind="status", status=500, methods=["POST"])
    assert httpx.get(emulator.base_url + "/v3").status_code == 200


def test_latency(emulator):
    _add(emulator, route="^/v3$", kind="latency", delay_seconds=0.3, times=1)
    started = time.monotonic()
    assert httpx.get(emulator.base_url + "/v3").status_code == 200
    assert time.monotonic() - started >= 0.3


def test_timeout_holds_the_request_past_the_client_deadline(emulator):
    _add(emulator, route="^/v3$", kind="timeout", delay_seconds=3, times=1)
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(emulator.base_url + "/v3", timeout=0.3)


def test_dropped_connection(emulator):
    _add(emulator, route="^/v3$", kind="drop", times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(emulator.base_url + "/v3")
    assert httpx.get(emulator.base_url + "/v3").status_code == 200


def test_rate_limit_headers(emulator):
    _add(emulator, route="/probe$", kind="rate_limit", retry_after_seconds=2, times=1)
    response = httpx.get(f"{emulator.base_url}/v1/{emulator.config.project_id}/probe")
    assert response.status_code == 429
    assert response.json()["error_code"] == "ModelArts.0114"
    assert response.headers["Retry-After"] == "2"
    assert response.headers["X-ratelimit"] == "100"
    assert response.headers["X-ratelimit-window"] == "minute"
    assert "X-ratelimit-used" in response.headers


def test_token_expiry_fault(emulator):
    url = f"{emulator.base_url}/v1/{emulator.config.project_id}/probe"
    token_value = issue_token(emulator.ctx, methods=["password"])[0]
    assert httpx.get(url, headers={"X-Auth-Token": token_value}).status_code == 200
    _add(emulator, route="/probe$", kind="token_expiry", times=1)
    expired = httpx.get(url, headers={"X-Auth-Token": token_value})
    assert expired.status_code == 401 and expired.json()["error_code"] == "ModelArts.0202"


def test_remove_and_clear_faults(emulator):
    fault = _add(emulator, route=".*", kind="status", status=500)
    assert httpx.get(emulator.base_url + "/v3").status_code == 500
    assert _admin(emulator, "GET", "/_admin/faults").json()["faults"][0]["id"] == fault["id"]
    assert _admin(emulator, "DELETE", f"/_admin/faults/{fault['id']}").status_code == 204
    assert httpx.get(emulator.base_url + "/v3").status_code == 200
    _add(emulator, route=".*", kind="status", status=500)
    assert _admin(emulator, "DELETE", "/_admin/faults").status_code == 204
    assert httpx.get(emulator.base_url + "/v3").status_code == 200


def test_expire_tokens_endpoint(emulator):
    token = issue_token(emulator.ctx, methods=["password"])[0]
    assert _admin(emulator, "POST", "/_admin/tokens/expire").json() == {"expired": 1}
    url = f"{emulator.base_url}/v1/{emulator.config.project_id}/probe"
    assert httpx.get(url, headers={"X-Auth-Token": token}).status_code == 401


def test_faults_from_config(tmp_path):
    config = EmulatorConfig(
        data_dir=tmp_path / "data",
        faults=[{"route": "^/v3$", "kind": "status", "status": 502, "times": 1}],
    )
    with _start(config) as emulator:
        assert httpx.get(emulator.base_url + "/v3").status_code == 502
        assert httpx.get(emulator.base_url + "/v3").status_code == 200
