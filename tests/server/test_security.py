"""Every route of the extension needs authentication, and cookie-authenticated writes need XSRF."""

import warnings

import pytest
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import JupyterServerAuthWarning
from route_table import WRITE_METHODS, extension_routes
from tornado.httpclient import AsyncHTTPClient, HTTPClientError


async def _send(url: str, method: str, headers: dict[str, str]) -> int:
    body = b"{}" if method in WRITE_METHODS else None
    try:
        response = await AsyncHTTPClient().fetch(
            url,
            method=method.upper(),
            headers=headers,
            body=body,
            follow_redirects=False,
            allow_nonstandard_methods=True,
        )
    except HTTPClientError as error:
        return error.code
    return response.code


@pytest.fixture
def server_url(http_server_client, jp_http_port, jp_base_url):
    # Requesting http_server_client makes pytest-jupyter start listening on jp_http_port.
    return f"http://localhost:{jp_http_port}{jp_base_url}"


def test_the_extension_registers_routes(jp_serverapp, jp_base_url):
    # Guards the tests below against passing over an empty route table.
    assert len(extension_routes(jp_serverapp.web_app, jp_base_url)) >= 2


async def test_every_route_refuses_requests_without_credentials(
    jp_serverapp, jp_base_url, server_url, report
):
    routes = extension_routes(jp_serverapp.web_app, jp_base_url)
    sent = 0
    for route in routes:
        url = server_url + route.sample_path(jp_base_url).lstrip("/")
        for method in route.methods:
            status = await _send(url, method, {})
            assert status == 403, f"{method.upper()} {url} answered {status} without a token"
            sent += 1
    report(f"R1 extension: {sent} requests without credentials to {len(routes)} routes, all 403")


async def test_every_write_refuses_cookie_auth_without_xsrf(
    jp_serverapp, jp_base_url, server_url, jp_auth_header, report
):
    # A token request makes the server hand out its login cookie, as a browser would get it.
    status_url = server_url + "modelarts/api/v1/status"
    login = await AsyncHTTPClient().fetch(status_url, headers=jp_auth_header)
    cookies = [value.split(";", 1)[0] for value in login.headers.get_list("Set-Cookie")]
    assert any(cookie.startswith("username-") for cookie in cookies)
    cookie_header = {"Cookie": "; ".join(cookies)}

    assert await _send(status_url, "get", cookie_header) == 200
    writes = 0
    for route in extension_routes(jp_serverapp.web_app, jp_base_url):
        url = server_url + route.sample_path(jp_base_url).lstrip("/")
        for method in set(route.methods) & set(WRITE_METHODS):
            status = await _send(url, method, cookie_header)
            assert status == 403, f"{method.upper()} {url} answered {status} without XSRF"
            writes += 1
    report(f"R1 extension: {writes} cookie-authenticated writes without XSRF, all 403")


@pytest.mark.parametrize("server_app_config", [{"allow_unauthenticated_access": False}])
@pytest.mark.filterwarnings("error::jupyter_server.utils.JupyterServerAuthWarning")
async def test_server_without_unauthenticated_access_starts_without_auth_warnings(jp_fetch):
    response = await jp_fetch("modelarts", "api", "v1", "status")
    assert response.code == 200


@pytest.mark.parametrize("server_app_config", [{"allow_unauthenticated_access": False}])
def test_the_auth_warning_check_catches_an_undecorated_handler(jp_serverapp):
    class Undecorated(APIHandler):
        def get(self) -> None:
            self.finish("{}")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        jp_serverapp.web_app.add_handlers(".*$", [(r"/modelarts-undecorated-probe", Undecorated)])
    assert any(issubclass(w.category, JupyterServerAuthWarning) for w in caught)
