"""Workspaces and quotas of Local ModelArts (004 §8), driven by the official SDK."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkmodelarts.v1 import ModelArtsClient
from huaweicloudsdkmodelarts.v1 import model as m
from instances_support import fast_config, modelarts_client, wait_for

from jupyterlab_modelarts.emulator.config import EmulatorConfig

QUOTA = "exemlProject.gpu_duration"


@pytest.fixture
def modelarts_local_config(tmp_path: Path) -> EmulatorConfig:
    # a deleted workspace stays DELETING for 1 s
    return fast_config(tmp_path, speed=2.0)


@pytest.fixture
def client(modelarts_local: Any) -> ModelArtsClient:
    return modelarts_client(modelarts_local)


def create(client: ModelArtsClient, **fields: Any) -> m.CreateWorkspaceResponse:
    body = m.CreateWorkspaceReq(**{"name": "test-workspace", **fields})
    return client.create_workspace(m.CreateWorkspaceRequest(body=body))


def refused(call: Any) -> ClientRequestException:
    with pytest.raises(ClientRequestException) as error:
        call()
    return error.value


def names(client: ModelArtsClient, **query: Any) -> list[str]:
    listed = client.list_workspace(m.ListWorkspaceRequest(**query))
    return [workspace.name for workspace in listed.workspaces]


def test_create_show_list_modify_and_delete(client: ModelArtsClient) -> None:
    created = create(
        client,
        description="It's a test project",
        auth_type="internal",
        grants=[m.CreateWorkspaceReqGrants(user_name="test")],
    )
    assert len(created.id) == 32 and created.status == "NORMAL"
    assert created.auth_type == "INTERNAL"

    shown = client.show_workspace(m.ShowWorkspaceRequest(workspace_id=created.id))
    assert shown.name == "test-workspace"
    assert [grant.user_name for grant in shown.grants] == ["test"]
    assert names(client, sort_by="name", order="asc") == ["default", "test-workspace"]
    assert names(client, name="TEST") == ["test-workspace"]

    modified = client.update_workspace(
        m.UpdateWorkspaceRequest(
            workspace_id=created.id,
            body=m.UpdateWorkspaceReq(name="new_name", description="update description"),
        )
    )
    assert modified.workspace_id == created.id
    assert client.show_workspace(m.ShowWorkspaceRequest(workspace_id=created.id)).name == "new_name"

    deleted = client.delete_workspace(m.DeleteWorkspaceRequest(workspace_id=created.id))
    assert deleted.workspace_id == created.id
    assert wait_for(lambda: names(client), lambda found: found == ["default"]) == ["default"]
    error = refused(lambda: client.show_workspace(m.ShowWorkspaceRequest(workspace_id=created.id)))
    assert (error.status_code, error.error_code) == (404, "ModelArts.7005")
    assert error.error_msg == f"workspace: {created.id} not exist."


def test_errors_carry_the_request_id_in_the_body(
    modelarts_local: Any, client: ModelArtsClient
) -> None:
    response = httpx.get(
        f"{modelarts_local.project_url}/workspaces/ffffffffffffffffffffffffffffffff",
        headers={"X-Auth-Token": modelarts_local.token()},
    )
    body = response.json()
    assert response.status_code == 404
    assert set(body) == {"error_code", "error_msg", "request_id"}
    assert body["request_id"] == response.headers["X-Request-Id"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "abc"}, "name"),
        ({"name": "x" * 65}, "name"),
        ({"name": "bad name"}, "name"),
        ({"name": "default"}, "name"),
        ({"description": "d" * 257}, "description"),
        ({"auth_type": "SHARED"}, "auth_type"),
        ({"auth_type": "INTERNAL", "grants": [m.CreateWorkspaceReqGrants()]}, "grants[0]"),
    ],
)
def test_invalid_input_is_refused_and_creates_nothing(
    client: ModelArtsClient, fields: dict[str, Any], field: str
) -> None:
    error = refused(lambda: create(client, **fields))

    assert (error.status_code, error.error_code) == (400, "ModelArts.0107")
    assert field in error.error_msg
    assert names(client) == ["default"]


def test_names_are_unique_and_the_default_workspace_is_fixed(client: ModelArtsClient) -> None:
    create(client)
    assert refused(lambda: create(client)).error_code == "ModelArts.0103"
    rename = m.UpdateWorkspaceRequest(workspace_id="0", body=m.UpdateWorkspaceReq(name="other"))
    assert refused(lambda: client.update_workspace(rename)).status_code == 400
    delete = m.DeleteWorkspaceRequest(workspace_id="0")
    assert refused(lambda: client.delete_workspace(delete)).status_code == 400


def test_quotas_are_listed_and_updated_within_their_bounds(client: ModelArtsClient) -> None:
    workspace_id = create(client).id
    quotas = client.show_workspace_quotas(m.ShowWorkspaceQuotasRequest(workspace_id=workspace_id))
    item = next(quota for quota in quotas.quotas if quota.resource == QUOTA)
    assert (item.quota, item.min_quota, item.max_quota, item.used_quota) == (-1, -1, 60000, None)

    body = m.UpdateWorkspaceQuotasReq(quotas=[m.UpdateWorkspaceQuotasReqQuotas(QUOTA, 10)])
    updated = client.update_workspace_quotas(
        m.UpdateWorkspaceQuotasRequest(workspace_id=workspace_id, body=body)
    )
    assert [(quota.resource, quota.quota) for quota in updated.quotas] == [(QUOTA, 10)]
    quotas = client.show_workspace_quotas(m.ShowWorkspaceQuotasRequest(workspace_id=workspace_id))
    assert {quota.resource: quota.used_quota for quota in quotas.quotas}[QUOTA] == 0

    for wrong in (0, 60001, -5):
        too_far = m.UpdateWorkspaceQuotasReq(
            quotas=[m.UpdateWorkspaceQuotasReqQuotas(QUOTA, wrong)]
        )
        error = refused(
            lambda body=too_far: client.update_workspace_quotas(
                m.UpdateWorkspaceQuotasRequest(workspace_id=workspace_id, body=body)
            )
        )
        assert "quotas[0].quota" in error.error_msg
    error = refused(
        lambda: client.show_workspace_quotas(m.ShowWorkspaceQuotasRequest(workspace_id="not-an-id"))
    )
    assert error.error_code == "ModelArts.0104"


def test_a_deleted_workspace_takes_no_new_instances(
    modelarts_local: Any, client: ModelArtsClient
) -> None:
    workspace_id = create(client).id
    client.delete_workspace(m.DeleteWorkspaceRequest(workspace_id=workspace_id))
    body = m.NotebookCreateRequest(
        name="nb",
        flavor="modelarts.vm.cpu.2u",
        image_id="e1a07296-22a8-4f05-8bc8-e936c8e54090",
        volume=m.VolumeMountRequest(category="EVS", ownership="MANAGED"),
        workspace_id=workspace_id,
    )

    error = refused(lambda: client.create_notebook(m.CreateNotebookRequest(body=body)))

    assert error.error_code == "ModelArts.7004"
    assert client.list_notebooks(m.ListNotebooksRequest()).total == 0


def test_a_tampered_signature_changes_nothing(
    modelarts_local: Any, client: ModelArtsClient
) -> None:
    forged = modelarts_client(modelarts_local, secret_key="not-the-secret-key-000000000000000000")

    assert refused(lambda: create(forged)).status_code == 401
    assert names(client) == ["default"]
