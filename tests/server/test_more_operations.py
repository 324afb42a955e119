"""REST routes of the operations that had none (issue 20): training configuration modify and
delete (TC-3, TC-4), visualization job description (VJ-4), dedicated clusters (SV-11) and edge
node instances (SV-4), against Local ModelArts."""

import pytest
from deploy_support import extension, isolated_config

modelarts_config = pytest.fixture(isolated_config)


async def saved_config(jp_serverapp, name="saved-cfg"):
    local = await extension(jp_serverapp).local_modelarts()
    local.ctx.obs.create_bucket("cfg")
    client = await extension(jp_serverapp).accounts.modelarts()
    await client.training_configs.create(
        config_name=name,
        worker_server_num=1,
        app_url="/cfg/code/",
        boot_file_url="/cfg/code/train.py",
        data_url="/cfg/data/",
        spec_id=2,
        engine_id=31,
        parameter=[{"label": "lr", "value": "0.1"}],
    )
    return name


async def test_a_configuration_is_replaced_and_deleted(api, jp_serverapp):
    name = await saved_config(jp_serverapp)
    replaced = {
        "worker_server_num": 1,
        "app_url": "/cfg/code/",
        "boot_file_url": "/cfg/code/train.py",
        "data_url": "/cfg/data/",
        "spec_id": 3,
        "engine_id": 31,
        "parameter": [{"label": "lr", "value": "0.5"}],
    }
    code, config = await api("PUT", "training", "configs", name, body=replaced)
    assert code == 200, config
    assert config["spec_id"] == 3 and config["parameters"] == [{"label": "lr", "value": "0.5"}]
    code, refused = await api("PUT", "training", "configs", name, body={**replaced, "spec_id": 99})
    assert code == 400 and "spec_id" in refused["error"]["message"]

    code, _ = await api("DELETE", "training", "configs", name)
    assert code == 200
    code, listed = await api("GET", "training", "configs")
    assert listed["configs"] == []
    code, missing = await api("DELETE", "training", "configs", name)
    assert code == 404, missing


async def test_a_visualization_job_gets_a_new_description(api, jp_serverapp):
    local = await extension(jp_serverapp).local_modelarts()
    local.ctx.obs.create_bucket("viz")
    body = {"job_name": "board", "train_url": "/viz/out/"}
    code, board = await api("POST", "training", "visualization-jobs", body=body)
    assert code == 201, board
    job_id = str(board["job_id"])
    code, described = await api(
        "PUT", "training", "visualization-jobs", job_id, body={"job_desc": "loss curves"}
    )
    assert code == 200 and described["job_desc"] == "loss curves"
    code, refused = await api(
        "PUT", "training", "visualization-jobs", job_id, body={"job_desc": "x" * 257}
    )
    assert (code, refused["error"]["field"]) == (400, "job_desc")


async def test_clusters_and_edge_nodes(api):
    code, clusters = await api("GET", "clusters")
    assert code == 200 and "clusters" in clusters
    code, refused = await api(
        "PUT", "services", "no-such-service", "nodes", "edge-1", "status", body={"status": "up"}
    )
    assert (code, refused["error"]["field"]) == (400, "status")
    code, missing = await api(
        "PUT", "services", "no-such-service", "nodes", "edge-1", "status",
        body={"status": "running"},
    )  # fmt: skip
    assert code == 404, missing
