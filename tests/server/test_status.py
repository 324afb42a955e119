import json
import re

import pytest
from tornado.httpclient import AsyncHTTPClient

from jupyterlab_modelarts import __version__


async def test_status_reports_local_backend_without_credentials(jp_fetch, monkeypatch):
    for name in ("HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "ALIBABA_CLOUD_ACCESS_KEY_ID"):
        monkeypatch.delenv(name, raising=False)
    response = await jp_fetch("modelarts", "api", "v1", "status")
    body = json.loads(response.body)
    endpoint = body.pop("endpoint")
    project_id = body.pop("project_id")
    assert body == {
        "backend": "local",
        "region": "cn-north-4",
        "account": "Local ModelArts",
        "credentials_present": True,
        "version": __version__,
    }
    assert re.fullmatch(r"[0-9a-f]{32}", project_id)
    # The embedded Local ModelArts really serves its IAM API at the reported endpoint.
    assert endpoint.startswith("http://127.0.0.1:")
    versions = await AsyncHTTPClient().fetch(f"{endpoint}/v3")
    assert json.loads(versions.body)["version"]["id"].startswith("v3")


@pytest.mark.parametrize(
    "modelarts_config",
    [
        {
            "backend": "cloud",
            "region": "ap-southeast-1",
            "project_id": "0123456789abcdef0123456789abcdef",
        }
    ],
)
async def test_status_follows_configuration_and_never_returns_a_secret(jp_fetch, monkeypatch):
    secret = "SK-CANARY-5d41402abc4b2a76b9719d911017c592"
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "AK-CANARY")
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", secret)
    response = await jp_fetch("modelarts", "api", "v1", "status")
    body = json.loads(response.body)
    assert body["backend"] == "cloud"
    assert body["region"] == "ap-southeast-1"
    assert body["project_id"] == "0123456789abcdef0123456789abcdef"
    assert body["credentials_present"] is True
    assert secret not in response.body.decode()
    assert "AK-CANARY" not in response.body.decode()
