"""Without a Jupyter server the magics call the extension's own REST handlers, served in their
process: one declaration of the routes (``handlers.routes()``) answers both paths alike."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import JupyterServer, isolated_environment

from jupyterlab_modelarts.magics.direct import DirectApi
from jupyterlab_modelarts.magics.discovery import ServerInfo
from jupyterlab_modelarts.magics.rest import RestApi

#: Routes whose answers do not depend on which Local ModelArts answers them.
SAME_ANSWERS = (
    "catalog/specs",
    "catalog/engines",
    "catalog/algorithms",
    "services/specifications",
    "training/configs",
    "training/visualization-jobs",
)


@pytest.fixture
def direct(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DirectApi]:
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    for name, value in isolated_environment(home).items():
        monkeypatch.setenv(name, value)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    api = DirectApi()
    try:
        yield api
    finally:
        api.close()


def test_the_in_process_path_answers_like_the_server(
    jupyter_server: JupyterServer, direct: DirectApi
) -> None:
    served = RestApi(ServerInfo(jupyter_server.url, jupyter_server.token))
    try:
        for path in SAME_ANSWERS:
            assert direct.call("GET", path) == served.call("GET", path), path
        assert set(direct.call("GET", "status")) == set(served.call("GET", "status"))
    finally:
        served.close()
    assert direct.where == "this process (no Jupyter server found)"
    # A route the hand-written in-process table never had now answers too.
    assert "jobs" in direct.call("GET", "training/visualization-jobs")
