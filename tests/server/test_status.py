import json
import re

from tornado.httpclient import AsyncHTTPClient

from jupyterlab_modelarts import __version__


async def test_status_reports_local_backend_without_credentials(jp_fetch, monkeypatch):
    for name in ("HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "ALIBABA_CLOUD_ACCESS_KEY_ID"):
        monkeypatch.delenv(name, raising=False)
    response = await jp_fetch("modelarts", "api", "v1", "status")
    body = json.loads(response.body)
    endpoint = body.pop("endpoint")
    project_id = body.pop("project_id")
    credentials = body.pop("credentials")
    assert body == {
        "backend": "local",
        "profile": "local",
        "profile_backend": "local",
        "cloud": "local",
        "cloud_label": "Local ModelArts",
        "training_api": "v1",
        "region": "cn-north-4",
        "workspace_id": "0",
        "account": "Local ModelArts",
        "credentials_present": True,
        "connection": {"state": "ok"},
        "version": __version__,
    }
    assert credentials["source"] == "local"
    assert re.fullmatch(r"\*{4}\w{4}", credentials["key_id"])
    assert re.fullmatch(r"[0-9a-f]{32}", project_id)
    # The embedded Local ModelArts really serves its IAM API at the reported endpoint.
    assert endpoint.startswith("http://127.0.0.1:")
    versions = await AsyncHTTPClient().fetch(f"{endpoint}/v3")
    assert json.loads(versions.body)["version"]["id"].startswith("v3")
