"""IAM tokens and AK/SK verification of Local ModelArts, driven by the official Huawei SDKs
and by raw HTTP for the refusals."""

from __future__ import annotations

import json
import types
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials, GlobalCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkiam.v3 import IamClient
from huaweicloudsdkiam.v3 import model as iam_model
from huaweicloudsdkmodelarts.v1 import ModelArtsClient

from jupyterlab_modelarts.cloud.signing import SdkHmacSigner
from jupyterlab_modelarts.emulator.app import CORE_MODULES, load_modules
from jupyterlab_modelarts.emulator.auth import expire_tokens, issue_token
from jupyterlab_modelarts.emulator.background import BackgroundEmulator
from jupyterlab_modelarts.emulator.config import EmulatorConfig
from jupyterlab_modelarts.emulator.handler import EmulatorHandler

PROBES = "test_probes"


class ProbeHandler(EmulatorHandler):
    """An authenticated project-scoped route that records what it receives."""

    def get(self, project_id: str) -> None:
        self.send_json({"caller": self.caller.method, "query": self.request.query})

    def post(self, project_id: str) -> None:
        body = self.json_body()
        self.store.put(PROBES, uuid.uuid4().hex, body)
        self.send_json({"caller": self.caller.method, "body": body})


probe_module = types.ModuleType("probe")
probe_module.ROUTES = [(r"/v1/(?P<project_id>[^/]+)/probe", ProbeHandler)]  # type: ignore[attr-defined]


@pytest.fixture
def emulator(tmp_path) -> Iterator[BackgroundEmulator]:
    config = EmulatorConfig(data_dir=tmp_path / "data")
    with BackgroundEmulator(config, modules=[probe_module, *load_modules(CORE_MODULES)]) as running:
        yield running


def _iam_client(emulator: BackgroundEmulator) -> IamClient:
    c = emulator.config
    return (
        IamClient.new_builder()
        .with_credentials(GlobalCredentials(c.access_key, c.secret_key))
        .with_endpoint(emulator.base_url)
        .build()
    )


def _modelarts_client(
    emulator: BackgroundEmulator, secret_key: str | None = None
) -> ModelArtsClient:
    c = emulator.config
    credentials = BasicCredentials(c.access_key, secret_key or c.secret_key, c.project_id)
    return (
        ModelArtsClient.new_builder()
        .with_credentials(credentials)
        .with_endpoint(emulator.base_url)
        .build()
    )


def _password_request(config: EmulatorConfig, password: str, scope: dict) -> object:
    m = iam_model
    user = m.PwdPasswordUser(
        domain=m.PwdPasswordUserDomain(name=config.iam_domain),
        name=config.iam_user,
        password=password,
    )
    return m.KeystoneCreateUserTokenByPasswordRequest(
        nocatalog="true",
        body=m.KeystoneCreateUserTokenByPasswordRequestBody(
            auth=m.PwdAuth(
                identity=m.PwdIdentity(methods=["password"], password=m.PwdPassword(user=user)),
                scope=m.AuthScope(project=m.AuthScopeProject(**scope)),
            )
        ),
    )


def _token_body(config: EmulatorConfig, *, password: str | None = None, **scope: str) -> dict:
    return {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {
                        "name": config.iam_user,
                        "password": password or config.iam_password,
                        "domain": {"name": config.iam_domain},
                    }
                },
            },
            "scope": {"project": scope or {"name": config.region}},
        }
    }


def _call_probe(client: ModelArtsClient, method: str, **kwargs) -> dict:
    response = client.call_api(
        "/v1/{project_id}/probe",
        method,
        header_params={"Content-Type": "application/json"},
        response_type="ShowWorkspaceResponse",
        **kwargs,
    )
    return json.loads(response.raw_content)


def test_version_document(emulator):
    response = httpx.get(emulator.base_url + "/v3")
    assert response.status_code == 200
    version = response.json()["version"]
    assert version["status"] == "stable" and version["id"].startswith("v3")
    assert version["links"][0]["href"] == emulator.base_url + "/v3/"


def test_password_token_with_the_official_iam_sdk(emulator):
    config = emulator.config
    response = _iam_client(emulator).keystone_create_user_token_by_password(
        _password_request(config, config.iam_password, {"name": config.region})
    )
    assert response.x_subject_token
    assert response.token.methods == ["password"]
    assert response.token.project.id == config.project_id
    assert response.token.user.name == config.iam_user
    expires = datetime.fromisoformat(response.token.expires_at.replace("Z", "+00:00"))
    issued = datetime.fromisoformat(response.token.issued_at.replace("Z", "+00:00"))
    assert expires - issued == timedelta(hours=24)
    # the token works on a ModelArts route
    probe = httpx.get(
        f"{emulator.base_url}/v1/{config.project_id}/probe",
        headers={"X-Auth-Token": response.x_subject_token},
    )
    assert probe.status_code == 200 and probe.json()["caller"] == "token"


def test_token_scoped_by_project_id_has_a_catalog_unless_nocatalog(emulator):
    config = emulator.config
    url = emulator.base_url + "/v3/auth/tokens"
    with_catalog = httpx.post(url, json=_token_body(config, id=config.project_id))
    assert with_catalog.status_code == 201
    catalog = with_catalog.json()["token"]["catalog"]
    assert {entry["name"] for entry in catalog} >= {"modelarts", "iam"}
    without = httpx.post(url + "?nocatalog=true", json=_token_body(config, id=config.project_id))
    assert "catalog" not in without.json()["token"]


def test_wrong_password_is_401_and_issues_nothing(emulator):
    config = emulator.config
    tokens_before = emulator.ctx.store.count("iam_tokens")
    with pytest.raises(ClientRequestException) as raised:
        _iam_client(emulator).keystone_create_user_token_by_password(
            _password_request(config, "wrong", {"name": config.region})
        )
    assert raised.value.status_code == 401
    raw = httpx.post(emulator.base_url + "/v3/auth/tokens", json=_token_body(config, password="x"))
    assert raw.status_code == 401
    assert raw.json()["error"] == {
        "code": 401,
        "message": "The username or password is wrong.",
        "title": "Unauthorized",
    }
    assert "X-Subject-Token" not in raw.headers
    assert emulator.ctx.store.count("iam_tokens") == tokens_before


def test_unknown_project_scope_and_malformed_bodies(emulator):
    config = emulator.config
    url = emulator.base_url + "/v3/auth/tokens"
    assert httpx.post(url, json=_token_body(config, name="cn-south-1")).status_code == 401
    bad = httpx.post(url, json={"auth": {}})
    assert bad.status_code == 400
    assert bad.json()["error"]["message"].startswith("auth.identity")


def test_project_lookup_by_name(emulator):
    config = emulator.config
    client = _iam_client(emulator)
    found = client.keystone_list_projects(iam_model.KeystoneListProjectsRequest(name=config.region))
    assert [p.id for p in found.projects] == [config.project_id]
    missing = client.keystone_list_projects(iam_model.KeystoneListProjectsRequest(name="eu-west-0"))
    assert missing.projects == []


def test_official_modelarts_sdk_signs_and_is_accepted(emulator):
    client = _modelarts_client(emulator)
    got = _call_probe(client, "GET", query_params=[("name", "a b/c~d%"), ("empty", "")])
    assert got["caller"] == "aksk"
    posted = _call_probe(client, "POST", body={"description": "中文 text"})
    assert posted["body"] == {"description": "中文 text"}
    assert emulator.ctx.store.count(PROBES) == 1


def test_wrong_secret_key_is_refused_and_changes_nothing(emulator):
    client = _modelarts_client(emulator, secret_key="not-the-secret")
    with pytest.raises(ClientRequestException) as raised:
        _call_probe(client, "POST", body={"x": 1})
    assert raised.value.status_code == 401
    assert raised.value.error_code == "ModelArts.0211"
    assert raised.value.request_id
    assert emulator.ctx.store.count(PROBES) == 0


def _signed(emulator: BackgroundEmulator, method: str, path: str, body: bytes = b"", **kwargs):
    c = emulator.config
    signer = SdkHmacSigner(
        kwargs.pop("ak", c.access_key),
        kwargs.pop("sk", c.secret_key),
        kwargs.pop("security_token", None),
    )
    headers = {"Content-Type": "application/json", **kwargs.pop("headers", {})}
    return signer.sign(method, emulator.base_url + path, headers, body, **kwargs)


def test_tampered_requests_are_refused(emulator):
    c = emulator.config
    path = f"/v1/{c.project_id}/probe"
    signed = _signed(emulator, "POST", path, b'{"a": 1}')
    # body changed after signing
    tampered = httpx.post(signed.url, headers=signed.headers, content=b'{"a": 2}')
    assert tampered.status_code == 401 and tampered.json()["error_code"] == "ModelArts.0211"
    # signature changed
    headers = dict(signed.headers)
    headers["Authorization"] = headers["Authorization"][:-4] + "0000"
    assert httpx.post(signed.url, headers=headers, content=b'{"a": 1}').status_code == 401
    # a signed header changed
    signed_with_project = _signed(
        emulator, "POST", path, b'{"a": 1}', headers={"X-Project-Id": "p"}
    )
    changed = {**signed_with_project.headers, "X-Project-Id": "q"}
    assert httpx.post(signed.url, headers=changed, content=b'{"a": 1}').status_code == 401
    # unknown access key
    stranger = _signed(emulator, "POST", path, b"{}", ak="UNKNOWNAK", sk="x")
    assert httpx.post(stranger.url, headers=stranger.headers, content=b"{}").status_code == 401
    # the untampered request still works, and only it was recorded
    assert httpx.post(signed.url, headers=signed.headers, content=b'{"a": 1}').status_code == 200
    assert emulator.ctx.store.count(PROBES) == 1


def test_credential_form_of_the_authorization_header_is_accepted(emulator):
    c = emulator.config
    signed = _signed(emulator, "GET", f"/v1/{c.project_id}/probe?limit=10")
    date = signed.headers["X-Sdk-Date"][:8]
    headers = dict(signed.headers)
    headers["Authorization"] = headers["Authorization"].replace(
        f"Access={c.access_key}", f"Credential={c.access_key}/{date}//modelarts/sdk_request"
    )
    assert httpx.get(signed.url, headers=headers).status_code == 200


def test_date_skew_beyond_15_minutes_is_refused(emulator):
    c = emulator.config
    path = f"/v1/{c.project_id}/probe"
    stale = _signed(emulator, "GET", path, now=datetime.now(timezone.utc) - timedelta(minutes=16))
    assert httpx.get(stale.url, headers=stale.headers).status_code == 401
    close = _signed(emulator, "GET", path, now=datetime.now(timezone.utc) - timedelta(minutes=14))
    assert httpx.get(close.url, headers=close.headers).status_code == 200


def test_wrong_project_in_the_path_is_refused(emulator):
    other = "f" * 32
    signed = _signed(emulator, "GET", f"/v1/{other}/probe")
    response = httpx.get(signed.url, headers=signed.headers)
    assert response.status_code == 403
    assert response.json()["error_code"] == "ModelArts.0210"
    token = issue_token(emulator.ctx, methods=["password"])[0]
    by_token = httpx.get(f"{emulator.base_url}/v1/{other}/probe", headers={"X-Auth-Token": token})
    assert by_token.status_code == 403


@pytest.mark.parametrize(
    ("headers", "code"),
    [({}, "ModelArts.0201"), ({"X-Auth-Token": "MIIforged"}, "ModelArts.0203")],
)
def test_missing_and_invalid_tokens(emulator, headers, code):
    url = f"{emulator.base_url}/v1/{emulator.config.project_id}/probe"
    response = httpx.get(url, headers=headers)
    assert response.status_code == 401
    assert response.json()["error_code"] == code
    assert response.headers["X-Request-Id"]


def test_expired_token_is_refused(emulator):
    token = httpx.post(
        emulator.base_url + "/v3/auth/tokens", json=_token_body(emulator.config)
    ).headers["X-Subject-Token"]
    url = f"{emulator.base_url}/v1/{emulator.config.project_id}/probe"
    assert httpx.get(url, headers={"X-Auth-Token": token}).status_code == 200
    expire_tokens(emulator.ctx)
    expired = httpx.get(url, headers={"X-Auth-Token": token})
    assert expired.status_code == 401 and expired.json()["error_code"] == "ModelArts.0202"


def test_short_token_lifetime_from_config(tmp_path):
    config = EmulatorConfig(data_dir=tmp_path / "d", token_ttl_seconds=60)
    with BackgroundEmulator(
        config, modules=[probe_module, *load_modules(CORE_MODULES)]
    ) as emulator:
        token = httpx.post(emulator.base_url + "/v3/auth/tokens", json=_token_body(config)).json()
        issued = datetime.fromisoformat(token["token"]["issued_at"].replace("Z", "+00:00"))
        expires = datetime.fromisoformat(token["token"]["expires_at"].replace("Z", "+00:00"))
        assert expires - issued == timedelta(seconds=60)


def test_temporary_access_keys_need_their_security_token(emulator):
    c = emulator.config
    token = httpx.post(emulator.base_url + "/v3/auth/tokens", json=_token_body(c)).headers[
        "X-Subject-Token"
    ]
    issued = httpx.post(
        emulator.base_url + "/v3.0/OS-CREDENTIAL/securitytokens",
        headers={"X-Auth-Token": token},
        json={"auth": {"identity": {"methods": ["token"], "token": {"duration_seconds": 900}}}},
    )
    assert issued.status_code == 201
    credential = issued.json()["credential"]
    path = f"/v1/{c.project_id}/probe"
    ok = _signed(
        emulator,
        "GET",
        path,
        ak=credential["access"],
        sk=credential["secret"],
        security_token=credential["securitytoken"],
    )
    response = httpx.get(ok.url, headers=ok.headers)
    assert response.status_code == 200 and response.json()["caller"] == "temporary-aksk"
    without = _signed(emulator, "GET", path, ak=credential["access"], sk=credential["secret"])
    assert httpx.get(without.url, headers=without.headers).status_code == 401
    wrong = _signed(
        emulator,
        "GET",
        path,
        ak=credential["access"],
        sk=credential["secret"],
        security_token="forged",
    )
    assert httpx.get(wrong.url, headers=wrong.headers).status_code == 401
