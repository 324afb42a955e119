"""Profiles and credentials over REST, against a Local ModelArts standing in for the cloud."""

from __future__ import annotations

import json
import logging
import re
import stat
from pathlib import Path

import pytest
from tornado.httpclient import AsyncHTTPClient

SECRET_CANARY = "SK-CANARY-5d41402abc4b2a76b9719d911017c592"
PASSWORD_CANARY = "PW-CANARY-7215ee9c7d9dc229d2921a40e899ec5f"
#: What Local ModelArts' IAM tokens look like (a long opaque string, as the cloud's).
IAM_TOKEN = re.compile(r"MIIL[A-Za-z0-9_-]{100,}")


@pytest.fixture
def cloud(modelarts_local):
    """A Local ModelArts on its own port, playing the real cloud's endpoints."""
    return modelarts_local


@pytest.fixture
def modelarts_config(cloud, tmp_path):
    return {"profiles_dir": str(tmp_path / "profiles")}


@pytest.fixture
def profiles_dir(modelarts_config) -> Path:
    return Path(modelarts_config["profiles_dir"])


@pytest.fixture(autouse=True)
def no_cloud_environment(monkeypatch):
    for name in (
        "HUAWEICLOUD_SDK_AK",
        "HUAWEICLOUD_SDK_SK",
        "HUAWEICLOUD_SDK_PROJECT_ID",
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def api(jp_fetch):
    async def call(method: str, *path: str, body: object = None):
        response = await jp_fetch(
            "modelarts",
            "api",
            "v1",
            *path,
            method=method,
            body=None if body is None else json.dumps(body),
            raise_error=False,
            allow_nonstandard_methods=True,
        )
        text = response.body.decode()
        return response.code, (json.loads(text) if text else None), text

    return call


def cloud_profile(cloud, name="prod", **credentials):
    return {
        "name": name,
        "backend": "modelarts",
        "region": cloud.config.region,
        "endpoints": {"modelarts": cloud.base_url, "iam": cloud.base_url},
        "credentials": {
            "kind": "access_key",
            "access_key": cloud.config.access_key,
            "secret_key": cloud.config.secret_key,
            **credentials,
        },
    }


async def test_the_local_profile_always_exists_and_is_active_by_default(api):
    code, body, _ = await api("GET", "profiles")
    assert code == 200
    assert body["active"] == "local"
    local = next(p for p in body["profiles"] if p["name"] == "local")
    assert local["managed"] is True
    assert local["credentials"]["source"] == "local"


async def test_adding_a_profile_checks_the_keys_stores_them_0600_and_never_returns_them(
    api, cloud, profiles_dir, caplog
):
    caplog.set_level(logging.DEBUG)
    code, body, text = await api("POST", "profiles", body=cloud_profile(cloud))
    assert code == 201, text
    assert body["project_id"] == cloud.config.project_id  # looked up from IAM
    assert body["credentials"] == {
        "present": True,
        "source": "credentials-file",
        "kind": "access_key",
        "key_id": "****" + cloud.config.access_key[-4:],
        "user": None,
    }
    assert cloud.config.secret_key not in text

    credentials_file = profiles_dir / "credentials.json"
    assert stat.S_IMODE(credentials_file.stat().st_mode) == 0o600
    assert json.loads(credentials_file.read_text())["prod"]["secret_key"] == cloud.config.secret_key
    assert cloud.config.secret_key not in (profiles_dir / "profiles.json").read_text()

    code, body, _ = await api("POST", "profiles", "prod", "activate")
    assert code == 200 and body["active"] is True
    code, status, text = await api("GET", "status")
    assert status["profile"] == "prod"
    assert status["backend"] == "cloud"
    assert status["connection"] == {"state": "ok"}
    assert status["endpoint"] == cloud.base_url
    for response_text in (text, caplog.text):
        assert cloud.config.secret_key not in response_text


async def test_wrong_keys_are_refused_on_the_secret_field_and_nothing_is_saved(
    api, cloud, profiles_dir, caplog
):
    caplog.set_level(logging.DEBUG)
    code, body, text = await api(
        "POST", "profiles", body=cloud_profile(cloud, secret_key=SECRET_CANARY)
    )
    assert code == 401, text
    assert body["error"]["code"] == "AUTH_FAILED"
    assert body["error"]["field"] == "credentials.secret_key"
    assert body["error"]["upstream"]["status"] == 401
    assert "signature" in body["error"]["message"]
    assert not (profiles_dir / "credentials.json").exists()
    code, body, _ = await api("GET", "profiles")
    assert [p["name"] for p in body["profiles"]] == ["local"]
    assert SECRET_CANARY not in text and SECRET_CANARY not in caplog.text


async def test_a_wrong_iam_password_is_refused_on_the_password_field(api, cloud, caplog):
    caplog.set_level(logging.DEBUG)
    profile = cloud_profile(cloud)
    profile["credentials"] = {
        "kind": "iam_password",
        "domain": cloud.config.iam_domain,
        "username": cloud.config.iam_user,
        "password": PASSWORD_CANARY,
    }
    code, body, text = await api("POST", "profiles", body=profile)
    assert code == 401, text
    assert body["error"]["field"] == "credentials.password"
    assert PASSWORD_CANARY not in text and PASSWORD_CANARY not in caplog.text

    profile["credentials"]["password"] = cloud.config.iam_password
    code, body, text = await api("POST", "profiles", body=profile)
    assert code == 201, text
    assert body["credentials"]["kind"] == "iam_password"
    assert body["credentials"]["user"] == f"{cloud.config.iam_domain}/{cloud.config.iam_user}"
    await api("POST", "profiles", "prod", "activate")
    _, status, status_text = await api("GET", "status")
    assert status["connection"] == {"state": "ok"}  # calls were made with an IAM token
    for seen in (text, status_text, caplog.text):
        assert cloud.config.iam_password not in seen
        assert not IAM_TOKEN.search(seen), "an IAM token leaked"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "bad name!"}, "name"),
        ({"region": "Not A Region"}, "region"),
        ({"endpoints": {"modelarts": "ftp://x"}}, "endpoints"),
        ({"credentials": {"kind": "access_key", "access_key": "AK"}}, "credentials.secret_key"),
    ],
)
async def test_bad_input_gets_a_field_error_before_any_call(api, cloud, change, field):
    code, body, text = await api("POST", "profiles", body={**cloud_profile(cloud), **change})
    assert code == 400, text
    assert body["error"]["field"] == field
    if field == "credentials.secret_key":  # worded by the browser from its code
        assert body["error"]["code"] == "FIELD_REQUIRED"
    _, listing, _ = await api("GET", "profiles")
    assert len(listing["profiles"]) == 1


async def test_sign_in_refusals_carry_their_code_and_values_for_the_browser_to_word(api, cloud):
    code, body, text = await api(
        "POST", "profiles", body={**cloud_profile(cloud), "cloud": "huaweicloud", "region": "xx-1"}
    )
    assert code == 400, text
    error = body["error"]
    assert (error["code"], error["field"]) == ("NO_SUCH_REGION", "region"), error
    assert error["params"]["cloud"] == "Huawei Cloud" and error["params"]["region"] == "xx-1"
    assert "cn-north-4" in error["params"]["choices"]
    assert error["message"].startswith("Huawei Cloud has no region 'xx-1'")  # the magics
    pai_keys = {"kind": "pai_access_key", "access_key_id": "id", "access_key_secret": "secret"}
    code, body, text = await api(
        "POST", "profiles", body={**cloud_profile(cloud), "credentials": pai_keys}
    )
    assert code == 400, text
    error = body["error"]
    assert (error["code"], error["field"], error["params"]) == (
        "CREDENTIALS_OF_BACKEND",
        "credentials.kind",
        {"backend": "modelarts"},
    ), error
    assert error["message"] == "ModelArts profiles take an AK/SK or an IAM password"  # the magics
    code, body, _ = await api("GET", "profiles", "nosuch")
    assert code == 404
    assert (body["error"]["code"], body["error"]["params"]) == (
        "NO_SUCH_PROFILE",
        {"name": "nosuch"},
    )


async def test_an_unreachable_endpoint_is_reported_as_such(api, cloud):
    profile = cloud_profile(cloud)
    profile["endpoints"] = {"modelarts": "http://127.0.0.1:9", "iam": "http://127.0.0.1:9"}
    code, body, text = await api("POST", "profiles", body=profile)
    assert code == 502, text
    assert body["error"]["code"] == "UNREACHABLE"
    assert body["error"]["field"] == "endpoints"
    assert body["error"]["params"]["service"] == "IAM", body["error"]


async def test_sign_out_removes_the_stored_secret_and_falls_back_to_local(api, cloud, profiles_dir):
    await api("POST", "profiles", body=cloud_profile(cloud))
    await api("POST", "profiles", "prod", "activate")
    code, _, _ = await api("DELETE", "profiles", "prod")
    assert code == 204
    assert "prod" not in json.loads((profiles_dir / "credentials.json").read_text())
    _, status, _ = await api("GET", "status")
    assert status["profile"] == "local"
    code, _, _ = await api("GET", "profiles", "prod")
    assert code == 404


async def test_the_managed_local_profile_cannot_be_removed(api):
    code, body, _ = await api("DELETE", "profiles", "local")
    assert code == 409
    assert body["error"]["code"] == "READ_ONLY"


async def test_workspace_picked_for_a_profile_is_reported_and_must_exist(api):
    code, created, text = await api("POST", "workspaces", body={"name": "team_a"})
    assert code == 201, text
    workspace_id = created["id"]
    code, body, _ = await api("GET", "workspaces")
    assert workspace_id in [w["id"] for w in body["workspaces"]]

    code, body, text = await api(
        "PUT", "profiles", "local", "workspace", body={"workspace_id": workspace_id}
    )
    assert code == 200, text
    _, status, _ = await api("GET", "status")
    assert status["workspace_id"] == workspace_id

    code, body, _ = await api(
        "PUT", "profiles", "local", "workspace", body={"workspace_id": "f" * 32}
    )
    assert code == 404
    assert body["error"]["field"] == "workspace_id"


async def test_a_workspace_with_a_bad_name_gets_the_field_error(api):
    code, body, text = await api("POST", "workspaces", body={"name": "no spaces allowed"})
    assert code == 400, text
    assert body["error"]["field"] == "name"


async def test_an_id_cannot_carry_a_slash_into_the_upstream_path(
    http_server_client, jp_http_port, jp_base_url, jp_auth_header
):
    url = f"http://localhost:{jp_http_port}{jp_base_url}modelarts/api/v1/workspaces/0%2Fquotas"
    response = await AsyncHTTPClient().fetch(url, headers=jp_auth_header, raise_error=False)
    assert response.code == 400
    error = json.loads(response.body)["error"]
    assert error["field"] == "workspace_id"
    assert (error["code"], error["params"]) == (
        "INVALID_ID",
        {"name": "workspace_id", "reason": "not_an_id"},
    )
