"""ACS3-HMAC-SHA256 verification of the PAI family, driven by the official PAI DSW client."""

from __future__ import annotations

import types
import uuid
from collections.abc import Iterator

import httpx
import pytest
from alibabacloud_pai_dsw20220101.client import Client
from alibabacloud_tea_openapi import utils_models
from alibabacloud_tea_openapi.exceptions import ClientException
from darabonba.runtime import RuntimeOptions

from jupyterlab_modelarts.emulator.app import CORE_MODULES, load_modules
from jupyterlab_modelarts.emulator.auth import AuthScheme
from jupyterlab_modelarts.emulator.background import BackgroundEmulator
from jupyterlab_modelarts.emulator.config import EmulatorConfig
from jupyterlab_modelarts.emulator.errors import Family
from jupyterlab_modelarts.emulator.handler import EmulatorHandler

PROBES = "test_pai_probes"


class PaiProbeHandler(EmulatorHandler):
    family = Family.PAI
    auth_scheme = AuthScheme.PAI

    def post(self) -> None:
        body = self.json_body()
        self.store.put(PROBES, uuid.uuid4().hex, body)
        self.send_json({"Query": self.request.query, "Body": body, "Success": True})


probe_module = types.ModuleType("pai_probe")
probe_module.ROUTES = [(r"/api/v2/probe", PaiProbeHandler)]  # type: ignore[attr-defined]

PARAMS = utils_models.Params(
    action="Probe",
    version="2022-01-01",
    protocol="HTTP",
    pathname="/api/v2/probe",
    method="POST",
    auth_type="AK",
    style="ROA",
    req_body_type="json",
    body_type="json",
)


@pytest.fixture
def emulator(tmp_path) -> Iterator[BackgroundEmulator]:
    config = EmulatorConfig(data_dir=tmp_path / "data")
    with BackgroundEmulator(config, modules=[probe_module, *load_modules(CORE_MODULES)]) as running:
        yield running


def _client(emulator: BackgroundEmulator, key_id: str | None = None, secret: str | None = None):
    c = emulator.config
    return Client(
        utils_models.Config(
            access_key_id=key_id or c.pai_access_key,
            access_key_secret=secret or c.pai_secret,
            endpoint=emulator.base_url.removeprefix("http://"),
            protocol="HTTP",
            region_id="cn-hangzhou",
        )
    )


def _call(client: Client, **request) -> dict:
    return client.call_api(PARAMS, utils_models.OpenApiRequest(**request), RuntimeOptions())


def test_official_pai_client_is_accepted(emulator):
    response = _call(
        _client(emulator), query={"Name": "a b+c/~", "Flag": "True"}, body={"InstanceName": "中文"}
    )
    assert response["statusCode"] == 200
    assert response["body"]["Body"] == {"InstanceName": "中文"}
    assert emulator.ctx.store.count(PROBES) == 1


@pytest.mark.parametrize(
    ("key_id", "secret", "status", "code"),
    [
        (None, "wrong-secret", 400, "IncompleteSignature"),
        ("LTAIUNKNOWN", None, 404, "InvalidAccessKeyId.NotFound"),
    ],
)
def test_wrong_keys_are_refused_and_change_nothing(emulator, key_id, secret, status, code):
    with pytest.raises(ClientException) as raised:
        _call(_client(emulator, key_id, secret), body={"x": 1})
    assert raised.value.code == code
    assert raised.value.status_code == status
    assert emulator.ctx.store.count(PROBES) == 0


def test_unsigned_request_gets_the_pai_error_body(emulator):
    response = httpx.post(emulator.base_url + "/api/v2/probe", json={})
    assert response.status_code == 401
    body = response.json()
    assert body["Success"] is False and body["HttpStatusCode"] == 401
    assert body["RequestId"] == response.headers["X-Request-Id"]
