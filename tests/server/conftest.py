import json

import pytest
from canary import check_answer
from tornado.httpclient import HTTPClientError


@pytest.fixture
def modelarts_config():
    """`c.ModelArtsExtension` options of the test's server; override with parametrize."""
    return {}


@pytest.fixture
def server_app_config():
    """Extra `c.ServerApp` options of the test's server; override with parametrize."""
    return {}


@pytest.fixture
def jp_server_config(modelarts_config, server_app_config):
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_modelarts": True}, **server_app_config},
        "ModelArtsExtension": modelarts_config,
    }


@pytest.fixture
def jp_fetch(jp_fetch):
    """pytest-jupyter's fetch, with every answer (errors too) checked for the R2 canaries."""

    async def fetch(*parts, **kwargs):
        try:
            response = await jp_fetch(*parts, **kwargs)
        except HTTPClientError as error:
            if error.response is not None:
                check_answer(
                    f"REST {error.response.effective_url}",
                    error.response.body.decode(errors="replace"),
                )
            raise
        check_answer(f"REST {response.effective_url}", response.body.decode(errors="replace"))
        return response

    return fetch


@pytest.fixture
def api(jp_fetch):
    """``await api(method, *path, body=..., **query)`` -> (status, decoded body)."""

    async def call(method: str, *path: str, body: object = None, **params: str):
        response = await jp_fetch(
            "modelarts", "api", "v1", *path,
            method=method,
            body=None if body is None else json.dumps(body),
            params=params or None,
            raise_error=False,
            allow_nonstandard_methods=True,
        )  # fmt: skip
        text = response.body.decode()
        return response.code, (json.loads(text) if text else None)

    return call
