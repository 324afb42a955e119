import pytest


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
