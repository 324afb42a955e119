"""Notebooks (new API) of Local ModelArts, driven by the official huaweicloudsdkmodelarts client
over HTTP with SDK-HMAC-SHA256 signatures verified."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkmodelarts.v1 import ModelArtsClient
from huaweicloudsdkmodelarts.v1 import model as m
from instances_support import fast_config, modelarts_client, wait_for

from jupyterlab_modelarts.emulator.config import EmulatorConfig

IMAGE_ID = "e1a07296-22a8-4f05-8bc8-e936c8e54090"


@pytest.fixture
def modelarts_local_config(tmp_path: Path) -> EmulatorConfig:
    return fast_config(tmp_path)


@pytest.fixture
def client(modelarts_local: Any) -> ModelArtsClient:
    return modelarts_client(modelarts_local)


def create_body(**overrides: Any) -> m.NotebookCreateRequest:
    fields: dict[str, Any] = {
        "name": "notebooks_test",
        "feature": "NOTEBOOK",
        "workspace_id": "0",
        "description": "api-test",
        "flavor": "modelarts.vm.cpu.2u",
        "image_id": IMAGE_ID,
        "volume": m.VolumeMountRequest(category="efs", ownership="managed", capacity=50),
    }
    fields.update(overrides)
    return m.NotebookCreateRequest(**fields)


def create(client: ModelArtsClient, **overrides: Any) -> m.CreateNotebookResponse:
    return client.create_notebook(m.CreateNotebookRequest(body=create_body(**overrides)))


def status_of(client: ModelArtsClient, notebook_id: str) -> str:
    return client.show_notebook(m.ShowNotebookRequest(id=notebook_id)).status


def test_create_returns_the_seed_002_shape_and_the_instance_comes_up(
    client: ModelArtsClient,
) -> None:
    created = create(client)

    assert created.status == "CREATING"
    assert created.name == "notebooks_test"
    assert created.volume.category == "EFS" and created.volume.ownership == "MANAGED"
    assert created.volume.mount_path == "/home/ma-user/work/"
    assert created.image.id == IMAGE_ID and created.image.type == "BUILD_IN"
    assert created.lease.enable is True and created.lease.duration == 3_600_000
    assert [step.step for step in created.action_progress] == [1, 2, 3, 4]
    assert created.token

    shown = wait_for(
        lambda: client.show_notebook(m.ShowNotebookRequest(id=created.id)),
        lambda nb: nb.status == "RUNNING",
    )
    assert shown.status == "RUNNING"
    assert {step.status for step in shown.action_progress} == {"COMPLETED"}
    page = httpx.get(shown.url)
    assert page.status_code == 200
    assert httpx.get(shown.url.replace(shown.token, "wrong")).status_code == 403


def test_list_filters_and_pages(client: ModelArtsClient) -> None:
    for name in ("alpha", "beta", "gamma"):
        create(client, name=name)

    listed = client.list_notebooks(
        m.ListNotebooksRequest(limit=10, sort_key="name", sort_dir="ASC")
    )
    assert listed.total == 3
    assert [nb.name for nb in listed.data] == ["alpha", "beta", "gamma"]
    named = client.list_notebooks(m.ListNotebooksRequest(name="bet"))
    assert [nb.name for nb in named.data] == ["beta"]


def test_stop_start_and_delete_follow_the_status_machine(client: ModelArtsClient) -> None:
    notebook_id = create(client).id
    wait_for(lambda: status_of(client, notebook_id), lambda s: s == "RUNNING")

    stopping = client.stop_notebook(m.StopNotebookRequest(id=notebook_id))
    assert stopping.status == "STOPPING"
    assert wait_for(lambda: status_of(client, notebook_id), lambda s: s == "STOPPED") == "STOPPED"
    with pytest.raises(ClientRequestException) as stopped_again:
        client.stop_notebook(m.StopNotebookRequest(id=notebook_id))
    assert stopped_again.value.error_code == "ModelArts.6307"

    started = client.start_notebook(m.StartNotebookRequest(id=notebook_id, duration=7_200_000))
    assert started.status == "STARTING"
    assert wait_for(lambda: status_of(client, notebook_id), lambda s: s == "RUNNING") == "RUNNING"
    assert client.show_lease(m.ShowLeaseRequest(id=notebook_id)).duration == 7_200_000

    deleting = client.delete_notebook(m.DeleteNotebookRequest(id=notebook_id))
    assert deleting.status == "DELETING"

    def gone() -> bool:
        try:
            status_of(client, notebook_id)
        except ClientRequestException as error:
            return error.status_code == 404
        return False

    assert wait_for(gone, bool)


def test_lease_stops_a_running_instance_when_due_and_renewal_extends_it(
    client: ModelArtsClient,
) -> None:
    notebook_id = create(client, duration=3_600_000).id
    wait_for(lambda: status_of(client, notebook_id), lambda s: s == "RUNNING")
    renewed_at = time.monotonic()
    renewed = client.renew_lease(
        m.RenewLeaseRequest(id=notebook_id, body=m.LeaseReq(duration=7_200_000))
    )
    assert renewed.duration == 7_200_000
    # 2 h of lease last 2 s here: the instance stops by itself, and not before the new lease ends
    final = wait_for(lambda: status_of(client, notebook_id), lambda s: s == "STOPPED")
    assert final == "STOPPED"
    assert time.monotonic() - renewed_at >= 1.9


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "bad name!"}, "name"),
        ({"name": "x" * 65}, "name"),
        ({"description": "a/b"}, "description"),
        ({"duration": 0}, "duration"),
        ({"image_id": "not-a-uuid"}, "image_id"),
        (
            {"volume": m.VolumeMountRequest(category="EVS", ownership="DEDICATED")},
            "volume.ownership",
        ),
        ({"volume": m.VolumeMountRequest(category="EFS", ownership="DEDICATED")}, "volume.uri"),
        ({"volume": m.VolumeMountRequest(category="NAS", ownership="MANAGED")}, "volume.category"),
        ({"endpoints": [m.EndpointsReq(service="FTP")]}, "endpoints[0].service"),
    ],
)
def test_invalid_input_is_refused_field_by_field_and_creates_nothing(
    client: ModelArtsClient, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ClientRequestException) as refused:
        create(client, **overrides)

    assert refused.value.status_code == 400
    assert refused.value.error_code.startswith("ModelArts.63")
    assert field in refused.value.error_msg
    assert client.list_notebooks(m.ListNotebooksRequest()).total == 0


def test_unknown_flavor_and_missing_instance_get_documented_codes(
    client: ModelArtsClient,
) -> None:
    with pytest.raises(ClientRequestException) as flavor:
        create(client, flavor="modelarts.vm.none")
    assert flavor.value.error_code == "ModelArts.6323"
    with pytest.raises(ClientRequestException) as missing:
        client.show_notebook(m.ShowNotebookRequest(id="f9937afa-4451-42db-a76b-72d624749f66"))
    assert (missing.value.status_code, missing.value.error_code) == (404, "ModelArts.6309")


def test_a_tampered_signature_is_refused_and_creates_nothing(
    modelarts_local: Any, client: ModelArtsClient
) -> None:
    forged = modelarts_client(modelarts_local, secret_key="not-the-secret-key-000000000000000000")
    with pytest.raises(ClientRequestException) as refused:
        create(forged)

    assert refused.value.status_code == 401
    assert client.list_notebooks(m.ListNotebooksRequest()).total == 0


def test_flavors_images_and_update(client: ModelArtsClient) -> None:
    flavors = client.list_flavors(m.ListFlavorsRequest(category="CPU"))
    assert "modelarts.vm.cpu.2u" in {flavor.id for flavor in flavors.flavors}
    images = client.list_image(m.ListImageRequest())
    assert IMAGE_ID in {image.id for image in images.data}

    notebook_id = create(client).id
    updated = client.update_notebook(
        m.UpdateNotebookRequest(
            id=notebook_id, body=m.NotebookUpdateRequest(name="renamed", description="new")
        )
    )
    assert (updated.name, updated.description) == ("renamed", "new")
    wait_for(lambda: status_of(client, notebook_id), lambda s: s == "RUNNING")
    with pytest.raises(ClientRequestException) as running:
        client.update_notebook(
            m.UpdateNotebookRequest(
                id=notebook_id, body=m.NotebookUpdateRequest(flavor="modelarts.vm.cpu.8u")
            )
        )
    assert running.value.error_code == "ModelArts.6357"
