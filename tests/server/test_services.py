"""A deployed service over REST: detail, events, update logs, monitor data, scaling,
stop/start, delete; and a deployment that failed half-way, run again."""

from __future__ import annotations

import pytest
from deploy_support import (
    SETOSA,
    deploy_body,
    extension,
    finished_operation,
    isolated_config,
    service_status,
    write_iris_package,
)

from jupyterlab_modelarts.emulator.catalog import CLUSTERS
from jupyterlab_modelarts.emulator.faults import Fault

modelarts_config = pytest.fixture(isolated_config)


async def deployed(api, root, name: str) -> dict:
    write_iris_package(root / name)
    code, record = await api("POST", "deployments", body=deploy_body(name, name))
    assert code == 202, record
    record = await finished_operation(api, record["id"])
    assert record["state"] == "succeeded", record["error"]
    return record["result"]


async def test_service_detail_stop_start_scale_and_delete(api, jp_root_dir, jp_serverapp):
    service_id = (await deployed(api, jp_root_dir, "iris"))["service_id"]
    local = await extension(jp_serverapp).local_modelarts()
    dropped = {"route": r"/v1/infers/", "methods": ["POST"], "kind": "drop", "times": 1}
    local.ctx.faults.add(Fault.from_dict(dropped))
    code, error = await api("POST", "services", service_id, "predict", body={"json": SETOSA})
    assert (code, error["error"]["code"]) == (502, "NO_ANSWER"), error
    assert (
        error["error"]["message"]
        == f"the service did not answer: {error['error']['params']['error']}"
    )

    code, detail = await api("GET", "services", service_id)
    assert code == 200 and detail["access_address"].endswith(service_id)
    code, specs = await api("GET", "services", "specifications", infer_type="real-time")
    assert "modelarts.vm.cpu.2u" in [s["specification"] for s in specs["specifications"]]
    await api("POST", "services", service_id, "predict", body={"json": SETOSA})
    code, monitor = await api("GET", "services", service_id, "monitor")
    assert monitor["monitors"][0]["invocation_times"] == 1
    code, events = await api("GET", "services", service_id, "events")
    assert code == 200 and events["events"]
    code, logs = await api("GET", "services", service_id, "logs")
    assert code == 200 and len(logs["logs"]) == 1

    code, stopped = await api("POST", "services", service_id, "stop")
    assert (code, stopped["status"]) == (200, "stopped")
    code, error = await api("POST", "services", service_id, "predict", body={"json": SETOSA})
    assert (code, error["error"]["code"]) == (409, "SERVICE_NOT_RUNNING")
    assert error["error"]["params"] == {"name": detail["service_name"], "status": "stopped"}

    code, _ = await api("POST", "services", service_id, "start")
    assert code == 200
    await service_status(api, service_id, "running")
    code, answer = await api("POST", "services", service_id, "predict", body={"json": SETOSA})
    assert answer["body"]["data"]["resp_data"] == [{"predictresult": "setosa"}]

    code, error = await api("PUT", "services", service_id, body={"instance_count": 0})
    assert (code, error["error"]["field"]) == (400, "instance_count")
    code, _ = await api("PUT", "services", service_id, body={"instance_count": 2})
    assert code == 200
    running = await service_status(api, service_id, "running")
    assert running["config"][0]["instance_count"] == 2

    code, _ = await api("DELETE", "services", service_id)
    assert code == 204
    code, error = await api("GET", "services", service_id)
    assert code == 404
    code, listed = await api("GET", "services")
    assert listed["services"] == []


async def test_a_deployment_that_failed_half_way_continues_without_duplicates(
    api, jp_root_dir, jp_serverapp
):
    local = await extension(jp_serverapp).local_modelarts()
    # the service create is refused once: the model exists, the service does not
    local.ctx.faults.add(
        Fault.from_dict(
            {
                "route": r"/services$",
                "methods": ["POST"],
                "kind": "status",
                "status": 400,
                "code": "ModelArts.0107",
                "times": 1,
            }
        )
    )
    write_iris_package(jp_root_dir / "iris")
    code, record = await api("POST", "deployments", body=deploy_body("iris", "iris"))
    record = await finished_operation(api, record["id"])
    assert record["state"] == "failed"
    assert [s["state"] for s in record["steps"]][3:5] == ["succeeded", "failed"]

    code, resumed = await api("POST", "deployments", record["id"], "resume")
    assert code == 202 and resumed["id"] == record["id"]
    record = await finished_operation(api, record["id"])
    assert record["state"] == "succeeded", record["error"]
    # What the browser words (code and numbers) and what the magics print (English).
    said = {s["name"]: (s["message_code"], s["message_params"]) for s in record["steps"]}
    assert said["import"] == ("IMPORTED_EARLIER", {})
    assert said["upload"] == ("UPLOADED", {"uploaded": 0, "unchanged": 3})
    messages = {step["name"]: step["message"] for step in record["steps"]}
    assert messages["upload"] == "0 uploaded, 3 unchanged"
    code, models = await api("GET", "models")
    assert len(models["models"]) == 1
    code, again = await api("POST", "deployments", record["id"], "resume")
    assert (code, again["error"]["code"]) == (409, "NOT_RESUMABLE")
    assert again["error"]["params"] == {"state": "succeeded"}


async def test_a_service_deploys_into_a_dedicated_cluster_of_the_list(
    api, jp_root_dir, monkeypatch
):
    """004 §10.2.1 `cluster_id`: "ID of the dedicated resource pool", one of GET clusters
    (SV-11), "ensure that the cluster status is normal": a pool that does not exist is refused
    on its field before anything is uploaded or imported."""
    code, listing = await api("GET", "clusters")
    assert code == 200
    cluster = listing["clusters"][0]
    write_iris_package(jp_root_dir / "pooled")
    body = deploy_body("pooled", "pooled", cluster_id=cluster["cluster_id"])
    code, record = await api("POST", "deployments", body=body)
    assert code == 202, record
    record = await finished_operation(api, record["id"])
    assert record["state"] == "succeeded", record["error"]

    body = deploy_body("pooled", "pooled2", cluster_id="0" * 32)
    code, refused = await api("POST", "deployments", body=body)
    assert (code, refused["error"]["field"]) == (404, "service.cluster_id"), refused
    assert refused["error"]["code"] == "NO_SUCH_POOL"
    assert refused["error"]["params"] == {"cluster_id": "0" * 32}

    monkeypatch.setitem(CLUSTERS[0], "status", "abnormal")
    body = deploy_body("pooled", "pooled3", cluster_id=cluster["cluster_id"])
    code, refused = await api("POST", "deployments", body=body)
    assert (code, refused["error"]["code"]) == (400, "POOL_NOT_RUNNING"), refused
    assert refused["error"]["params"] == {"name": cluster["cluster_name"], "status": "abnormal"}
    code, models = await api("GET", "models")
    assert [m["model_name"] for m in models["models"]] == ["pooled"], "no model for pooled2"
