"""A restart of Local ModelArts keeps every instance; the servers of running ones died with it,
so those are reported failed with a reason, and can be started again."""

from __future__ import annotations

import json
from pathlib import Path

from huaweicloudsdkmodelarts.v1 import ModelArtsClient
from huaweicloudsdkmodelarts.v1 import model as m
from instances_support import fast_config, modelarts_client, wait_for

from jupyterlab_modelarts.emulator.background import BackgroundEmulator


def create_notebook(client: ModelArtsClient, name: str) -> str:
    body = m.NotebookCreateRequest(
        name=name,
        flavor="modelarts.vm.cpu.2u",
        image_id="e1a07296-22a8-4f05-8bc8-e936c8e54090",
        volume=m.VolumeMountRequest(category="EVS", ownership="MANAGED"),
    )
    return client.create_notebook(m.CreateNotebookRequest(body=body)).id


def show(client: ModelArtsClient, notebook_id: str) -> m.ShowNotebookResponse:
    return client.show_notebook(m.ShowNotebookRequest(id=notebook_id))


def dev_environment(
    client: ModelArtsClient, method: str, suffix: str = "", body: object = None
) -> dict:
    response = client.call_api(
        "/v1/{project_id}/demanager/instances" + suffix,
        method,
        body=body,
        header_params={"Content-Type": "application/json"},
        response_type="ShowWorkspaceResponse",
    )
    return json.loads(response.raw_content)


def test_restart_keeps_instances_and_marks_lost_servers_failed(tmp_path: Path) -> None:
    config = fast_config(tmp_path)
    with BackgroundEmulator(config) as emulator:
        client = modelarts_client(emulator)
        running_id = create_notebook(client, "running")
        stopped_id = create_notebook(client, "stopped")
        dev_id = dev_environment(
            client,
            "POST",
            body={
                "name": "dev",
                "profile_id": "Python3",
                "flavor": "modelarts.vm.cpu.2u",
                "spec": {"storage": {"type": "evs"}},
            },
        )["id"]
        for notebook_id in (running_id, stopped_id):
            wait_for(lambda nid=notebook_id: show(client, nid).status, lambda s: s == "RUNNING")
        wait_for(
            lambda: dev_environment(client, "GET", f"/{dev_id}")["status"],
            lambda status: status == "RUNNING",
        )
        client.stop_notebook(m.StopNotebookRequest(id=stopped_id))
        wait_for(lambda: show(client, stopped_id).status, lambda s: s == "STOPPED")

    with BackgroundEmulator(config) as emulator:
        client = modelarts_client(emulator)
        lost = wait_for(lambda: show(client, running_id), lambda nb: nb.status == "ERROR")
        assert lost.status == "ERROR"
        assert "stopped when Local ModelArts stopped" in lost.fail_reason
        assert show(client, stopped_id).status == "STOPPED"
        dev = wait_for(
            lambda: dev_environment(client, "GET", f"/{dev_id}"),
            lambda shown: shown["status"] == "UNAVAILABLE",
        )
        assert dev["spec"]["failed_reasons"]["message"]

        client.start_notebook(m.StartNotebookRequest(id=running_id))
        again = wait_for(lambda: show(client, running_id).status, lambda s: s == "RUNNING")
        assert again == "RUNNING"
