"""DevEnviron (old API) of Local ModelArts through the official SDK's ``call_api`` (signed
SDK-HMAC-SHA256 requests on the v1 ``/demanager/instances`` paths the SDK has no methods for)."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkmodelarts.v1 import ModelArtsClient
from instances_support import fast_config, modelarts_client, wait_for

from jupyterlab_modelarts.emulator.config import EmulatorConfig

BUCKET = "notebook-bucket"
PATH = "/v1/{project_id}/demanager/instances"


@pytest.fixture
def modelarts_local_config(tmp_path: Path) -> EmulatorConfig:
    return fast_config(tmp_path)


@pytest.fixture
def client(modelarts_local: Any) -> ModelArtsClient:
    modelarts_local.obs.create_bucket(BUCKET)
    return modelarts_client(modelarts_local)


def call(
    client: ModelArtsClient,
    method: str,
    suffix: str = "",
    body: Any = None,
    query: list[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    # response_type only has to name some SDK model: the tests read the raw JSON
    response = client.call_api(
        PATH + suffix,
        method,
        query_params=query or [],
        body=body,
        header_params={"Content-Type": "application/json"},
        response_type="ShowWorkspaceResponse",
    )
    return json.loads(response.raw_content)


def refused(
    client: ModelArtsClient,
    method: str,
    suffix: str = "",
    body: Any = None,
    query: list[tuple[str, str]] | None = None,
) -> tuple[int, dict[str, Any]]:
    """(HTTP status, error code and message) of a call that must fail, as the SDK reads them
    (its ``error_msg``: the DevEnviron body carries it beside ``error_message``)."""
    with pytest.raises(ClientRequestException) as error:
        call(client, method, suffix, body, query)
    return error.value.status_code, {
        "error_code": error.value.error_code,
        "error_msg": error.value.error_msg,
    }


def request_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "notebook-d115",
        "description": "",
        "profile_id": "Python3",
        "flavor": "modelarts.vm.cpu.2u",
        "spec": {
            "storage": {"type": "obs", "location": {"path": f"/{BUCKET}/output/"}},
            "auto_stop": {"enable": True, "duration": 3600},
        },
        "workspace": {"id": "0"},
    }
    body.update(overrides)
    return body


def status_of(client: ModelArtsClient, instance_id: str) -> str:
    return call(client, "GET", f"/{instance_id}")["status"]


def test_create_returns_the_documented_shape_and_the_instance_runs(
    modelarts_local: Any, client: ModelArtsClient
) -> None:
    created = call(client, "POST", body=request_body())

    assert created["status"] == "CREATING"
    assert created["id"].startswith("DE-")
    assert (
        isinstance(created["creation_timestamp"], str) and created["creation_timestamp"].isdigit()
    )
    assert created["profile"]["name"] == "Python3" and created["profile"]["de_type"] == "Notebook"
    assert str(uuid.UUID(created["profile"]["id"])) == created["profile"]["id"]
    assert created["flavor_details"]["name"] == "modelarts.vm.cpu.2u"
    assert created["spec"]["storage"] == {"type": "obs", "location": {"path": f"/{BUCKET}/output/"}}
    assert created["spec"]["auto_stop"] == {"duration": 3600, "enable": True, "prompt": True}
    assert created["workspace"] == {"id": "0"}

    running = wait_for(
        lambda: call(client, "GET", f"/{created['id']}"), lambda shown: shown["status"] == "RUNNING"
    )
    assert running["status"] == "RUNNING"
    assert running["spec"]["annotations"]["url"].startswith("http://127.0.0.1:")
    assert 0 <= running["spec"]["auto_stop"]["remain_time"] <= 3600
    # an OBS instance works in its OBS directory
    assert modelarts_local.obs.local_path(f"/{BUCKET}/output/").is_dir()
    listed = call(client, "GET", query=[("de_type", "Notebook")])
    assert listed["total_count"] == 1 and listed["instances"][0]["id"] == created["id"]


def test_auto_stop_really_stops_the_instance_when_due(client: ModelArtsClient) -> None:
    instance_id = call(client, "POST", body=request_body())["id"]
    wait_for(lambda: status_of(client, instance_id), lambda status: status == "RUNNING")
    began = time.monotonic()

    final = wait_for(lambda: status_of(client, instance_id), lambda status: status == "STOPPED")

    # 3,600 documented seconds take 1 s at this speed
    assert final == "STOPPED"
    assert time.monotonic() - began >= 0.8


def test_actions_follow_the_status_machine(client: ModelArtsClient) -> None:
    instance_id = call(
        client,
        "POST",
        body=request_body(spec={"storage": {"type": "evs", "location": {"volume_size": 10}}}),
    )["id"]
    wait_for(lambda: status_of(client, instance_id), lambda status: status == "RUNNING")
    action = f"/{instance_id}/action"

    assert refused(client, "POST", action, {"action": "start"})[1]["error_code"] == "ModelArts.6305"
    assert refused(client, "DELETE", f"/{instance_id}")[1]["error_code"] == "ModelArts.6304"
    assert call(client, "POST", action, {"action": "stop"}) == {
        "current_status": "STOPPING",
        "previous_state": "RUNNING",
    }
    wait_for(lambda: status_of(client, instance_id), lambda status: status == "STOPPED")
    assert refused(client, "POST", action, {"action": "stop"})[1]["error_code"] == "ModelArts.6307"
    assert refused(client, "POST", action, {"action": "queue"})[1]["error_code"] == "ModelArts.6336"

    assert call(client, "POST", action, {"action": "start"}) == {
        "current_status": "STARTING",
        "previous_state": "STOPPED",
    }
    wait_for(lambda: status_of(client, instance_id), lambda status: status == "RUNNING")
    assert call(client, "POST", action, {"action": "restart"})["current_status"] == "RESTARTING"
    wait_for(lambda: status_of(client, instance_id), lambda status: status == "RUNNING")
    call(client, "POST", action, {"action": "stop"})
    wait_for(lambda: status_of(client, instance_id), lambda status: status == "STOPPED")

    assert call(client, "DELETE", f"/{instance_id}") == {"instance_id": instance_id}
    status, body = refused(client, "GET", f"/{instance_id}")
    assert (status, body) == (
        404,
        {"error_code": "ModelArts.6309", "error_msg": "The instance does not exist."},
    )


def test_a_free_sold_out_flavor_queues_and_can_leave_the_queue(client: ModelArtsClient) -> None:
    created = call(
        client, "POST", body=request_body(flavor="modelarts.vm.gpu.free", profile_id="Python3-gpu")
    )
    assert created["status"] == "CREATE_QUEUING"
    assert created["queuing_info"]["status"] == "CREATE_QUEUING"

    dequeued = call(client, "POST", f"/{created['id']}/action", {"action": "dequeue"})

    assert dequeued == {"current_status": "STOPPED", "previous_state": "CREATE_QUEUING"}


def test_modify_changes_description_and_auto_stop(client: ModelArtsClient) -> None:
    instance_id = call(client, "POST", body=request_body())["id"]

    modified = call(
        client,
        "PUT",
        f"/{instance_id}",
        {
            "description": "machine learning python2.7 notebook",
            "spec": {"auto_stop": {"enable": True, "duration": 7200}},
        },
    )

    assert modified["description"] == "machine learning python2.7 notebook"
    assert modified["spec"]["auto_stop"]["duration"] == 7200
    code = refused(client, "PUT", f"/{instance_id}", {"description": "a<b"})[1]["error_code"]
    assert code == "ModelArts.6334"


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"name": "bad name"}, "ModelArts.6336", "name"),
        ({"description": "x&y"}, "ModelArts.6334", "description"),
        ({"flavor": "modelarts.vm.none"}, "ModelArts.6323", "flavor"),
        ({"profile_id": "Python3-gpu"}, "ModelArts.6330", "profile"),
        ({"spec": {}}, "ModelArts.6316", "spec.storage"),
        ({"spec": {"storage": {"type": "nfs"}}}, "ModelArts.6324", "spec.storage.type"),
        ({"spec": {"storage": {"type": "obs"}}}, "ModelArts.6317", "path"),
        (
            {"spec": {"storage": {"type": "obs", "location": {"path": f"/{BUCKET}/out"}}}},
            "ModelArts.6318",
            "end with /",
        ),
        (
            {"spec": {"storage": {"type": "obs", "location": {"path": f"/{BUCKET}/"}}}},
            "ModelArts.6358",
            "bucket root",
        ),
        (
            {"spec": {"storage": {"type": "obs", "location": {"path": "/no-bucket/out/"}}}},
            "ModelArts.6320",
            "no-bucket",
        ),
        (
            {"spec": {"storage": {"type": "obs", "location": {"path": f"/{BUCKET}/../x/"}}}},
            "ModelArts.6320",
            "..",
        ),
        (
            {"spec": {"storage": {"type": "evs"}, "auto_stop": {"enable": True}}},
            "ModelArts.6348",
            "spec.auto_stop.duration",
        ),
        (
            {"spec": {"storage": {"type": "evs"}, "auto_stop": {"enable": True, "duration": 60}}},
            "ModelArts.6349",
            "spec.auto_stop.duration",
        ),
        (
            {
                "spec": {
                    "storage": {"type": "evs"},
                    "auto_stop": {"enable": True, "duration": 3_600_000},
                }
            },
            "ModelArts.6349",
            "spec.auto_stop.duration",
        ),
        (
            {"spec": {"storage": {"type": "evs", "location": {"volume_size": 5000}}}},
            "ModelArts.6331",
            "volume_size",
        ),
        ({"workspace": {"id": "ffffffffffffffffffffffffffffffff"}}, "ModelArts.7005", "ffffffff"),
    ],
)
def test_invalid_input_gets_the_documented_code_and_creates_nothing(
    client: ModelArtsClient, changes: dict[str, Any], code: str, field: str
) -> None:
    status, body = refused(client, "POST", body=request_body(**changes))

    assert status in (400, 404, 409)
    assert body["error_code"] == code
    assert field in body["error_msg"]
    assert call(client, "GET", query=[("de_type", "Notebook")])["total_count"] == 0


def test_list_validates_its_query(client: ModelArtsClient) -> None:
    assert refused(client, "GET")[1]["error_code"] == "ModelArts.6335"
    sortby = [("de_type", "Notebook"), ("sortby", "flavor")]
    assert refused(client, "GET", query=sortby)[1]["error_code"] == "ModelArts.6303"


def test_a_tampered_signature_changes_nothing(
    modelarts_local: Any, client: ModelArtsClient
) -> None:
    forged = modelarts_client(modelarts_local, secret_key="not-the-secret-key-000000000000000000")

    status, _body = refused(forged, "POST", body=request_body())

    assert status == 401
    assert call(client, "GET", query=[("de_type", "Notebook")])["total_count"] == 0


def test_a_stopped_free_instance_queues_before_it_starts(client: ModelArtsClient) -> None:
    instance_id = call(client, "POST", body=request_body(flavor="modelarts.vm.cpu.free"))["id"]
    wait_for(lambda: status_of(client, instance_id), lambda status: status == "RUNNING")
    call(client, "POST", f"/{instance_id}/action", {"action": "stop"})
    wait_for(lambda: status_of(client, instance_id), lambda status: status == "STOPPED")

    queued = call(client, "POST", f"/{instance_id}/action", {"action": "queue"})

    assert queued == {"current_status": "START_QUEUING", "previous_state": "STOPPED"}
    final = wait_for(lambda: status_of(client, instance_id), lambda status: status == "RUNNING")
    assert final == "RUNNING"


def test_unknown_instances_get_6309_for_every_operation(client: ModelArtsClient) -> None:
    missing = "/DE-7d558ef8-c73d-11ea-964c-0255ac100033"
    for method, suffix, body in (
        ("GET", missing, None),
        ("PUT", missing, {"description": "update notebook"}),
        ("DELETE", missing, None),
        ("POST", missing + "/action", {"action": "start"}),
    ):
        status, error = refused(client, method, suffix, body)
        assert (status, error["error_code"]) == (404, "ModelArts.6309")
