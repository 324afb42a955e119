"""The real runtime: a running notebook instance is a local Jupyter server with its own folder and
token, at the URL the API returns (one end-to-end test; the others use the simulated runtime)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from huaweicloudsdkmodelarts.v1 import model as m
from instances_support import fast_config, modelarts_client, wait_for

from jupyterlab_modelarts.emulator.config import EmulatorConfig


@pytest.fixture
def modelarts_local_config(tmp_path: Path) -> EmulatorConfig:
    return fast_config(tmp_path, modules={"instances": {"runtime": "jupyter"}})


def test_a_running_instance_is_a_jupyter_server_in_its_own_folder(modelarts_local: Any) -> None:
    client = modelarts_client(modelarts_local)
    body = m.NotebookCreateRequest(
        name="real",
        flavor="modelarts.vm.cpu.2u",
        image_id="e1a07296-22a8-4f05-8bc8-e936c8e54090",
        volume=m.VolumeMountRequest(category="EVS", ownership="MANAGED"),
    )
    notebook_id = client.create_notebook(m.CreateNotebookRequest(body=body)).id

    def show() -> Any:
        return client.show_notebook(m.ShowNotebookRequest(id=notebook_id))

    running = wait_for(show, lambda nb: nb.status != "CREATING", timeout=90)
    assert running.status == "RUNNING", running.fail_reason
    server = "{0.scheme}://{0.netloc}".format(urlsplit(running.url))
    assert httpx.get(running.url).status_code == 200
    assert httpx.get(f"{server}/api/status").status_code == 403
    written = httpx.put(
        f"{server}/api/contents/hello.txt",
        headers={"Authorization": f"token {running.token}"},
        json={"type": "file", "format": "text", "content": "hi"},
    )
    assert written.status_code == 201
    folder = modelarts_local.ctx.work_dir("instances", "notebooks", notebook_id)
    assert (folder / "hello.txt").read_text() == "hi"

    client.stop_notebook(m.StopNotebookRequest(id=notebook_id))
    assert wait_for(lambda: show().status, lambda status: status == "STOPPED") == "STOPPED"
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{server}/api/status")
