"""A profile's secret goes only to endpoints the user entered it for: https (plain http only to
loopback), never link-local, within the administrator's allowed hosts; changing the endpoints
needs the secret again; an upstream answer that is not JSON is a short 502."""

from __future__ import annotations

import pytest
import tornado.web
from test_accounts import api, cloud, cloud_profile, modelarts_config, no_cloud_environment
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

__all__ = ["api", "cloud", "modelarts_config", "no_cloud_environment"]

PORTAL_PAGE = "<html><body>Sign in to the portal PORTAL-CANARY</body></html>"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://modelarts.example.com", "must be https"),
        ("https://169.254.169.254", "link-local"),
        ("https://[fe80::1]", "link-local"),
    ],
)
async def test_endpoints_that_would_expose_the_secret_are_refused(api, cloud, url, problem):
    profile = cloud_profile(cloud)
    profile["endpoints"] = {"modelarts": url, "iam": cloud.base_url}
    code, body, _ = await api("POST", "profiles", body=profile)
    assert code == 400, body
    assert body["error"]["field"] == "endpoints.modelarts"
    assert problem in body["error"]["message"]


@pytest.mark.parametrize(
    "modelarts_config",
    [{"allowed_endpoint_hosts": ["*.myhuaweicloud.com"]}],
)
async def test_the_administrator_restricts_endpoint_hosts(api, cloud, tmp_path):
    profile = cloud_profile(cloud)
    profile["endpoints"] = {"modelarts": "https://modelarts.evil.test", "iam": cloud.base_url}
    code, body, _ = await api("POST", "profiles", body=profile)
    assert code == 400 and body["error"]["code"] == "ENDPOINT_REFUSED", body
    assert body["error"]["field"] == "endpoints.modelarts"
    assert body["error"]["params"] == {
        "url": "https://modelarts.evil.test",
        "reason": "host_not_allowed",
    }


async def test_other_endpoints_need_the_secret_again(api, cloud):
    code, saved, _ = await api("POST", "profiles", body=cloud_profile(cloud))
    assert code in (200, 201), saved
    moved = cloud_profile(cloud)
    del moved["credentials"]
    moved["endpoints"] = {"modelarts": "https://modelarts.example.com", "iam": cloud.base_url}
    code, body, _ = await api("POST", "profiles", body=moved)
    assert code == 400 and body["error"]["code"] == "SECRET_REQUIRED", body
    assert body["error"]["field"] == "credentials"
    # The same endpoints keep working without it.
    same = cloud_profile(cloud)
    del same["credentials"]
    code, body, _ = await api("POST", "profiles", body=same)
    assert code in (200, 201), body


class PortalPage(tornado.web.RequestHandler):
    def prepare(self) -> None:
        self.set_header("Content-Type", "text/html")
        self.finish(PORTAL_PAGE)


@pytest.fixture
def portal():
    sockets = bind_sockets(0, "127.0.0.1")
    server = HTTPServer(tornado.web.Application([(r".*", PortalPage)]))
    server.add_sockets(sockets)
    yield f"http://127.0.0.1:{sockets[0].getsockname()[1]}"
    server.stop()


async def test_an_answer_that_is_not_json_is_a_short_502(api, cloud, portal):
    profile = cloud_profile(cloud)
    profile["endpoints"] = {"modelarts": portal, "iam": portal}
    code, _body, text = await api("POST", "profiles", body=profile)
    assert code == 502, text
    assert "PORTAL-CANARY" not in text and "<html" not in text
