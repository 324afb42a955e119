"""Training job configurations and visualization jobs over HTTP."""

from __future__ import annotations

import time
from typing import Any

import pytest

from jupyterlab_modelarts.emulator.config import EmulatorConfig


@pytest.fixture
def modelarts_local_config(tmp_path: Any, request: pytest.FixtureRequest) -> EmulatorConfig:
    speed = getattr(request, "param", 50.0)
    return EmulatorConfig(data_dir=tmp_path / "modelarts-local", speed=speed)


@pytest.fixture
def api(modelarts_local, project_api: Any) -> Any:
    modelarts_local.obs.create_bucket("demo")
    return project_api


CONFIG = {
    "config_name": "iris-config",
    "config_desc": "iris",
    "worker_server_num": 1,
    "app_url": "/demo/code/",
    "boot_file_url": "/demo/code/train.py",
    "parameter": [{"label": "max_depth", "value": "3"}],
    "spec_id": 2,
    "data_url": "/demo/data/",
    "engine_id": 31,
}


def test_config_lifecycle(api: Any) -> None:
    assert api.post("/training-job-configs", json=CONFIG).json() == {"is_success": True}
    duplicate = api.post("/training-job-configs", json=CONFIG)
    assert (duplicate.status_code, duplicate.json()["error_code"]) == (409, "ModelArts.0103")
    shown = api.get("/training-job-configs/iris-config").json()
    assert shown["engine_name"] == "XGBoost-Sklearn" and shown["core"] == "2"
    assert shown["parameter"] == [{"label": "max_depth", "value": "3"}]

    # TC-3's sample names the parameter `key`.
    changed = {**CONFIG, "parameter": [{"key": "max_depth", "value": 4}], "config_desc": "v2"}
    del changed["config_name"]
    assert api.put("/training-job-configs/iris-config", json=changed).json()["is_success"]
    shown = api.get("/training-job-configs/iris-config").json()
    assert shown["parameter"] == [{"label": "max_depth", "value": 4}]
    assert shown["config_desc"] == "v2"

    listed = api.get("/training-job-configs", params={"search_content": "iris"}).json()
    assert listed["config_total_count"] == 1
    assert listed["configs"][0]["config_name"] == "iris-config"
    assert (
        api.get("/training-job-configs", params={"config_type": "sample"}).json()["configs"] == []
    )
    assert api.delete("/training-job-configs/iris-config").json() == {"is_success": True}
    assert api.get("/training-job-configs/iris-config").status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"config_name": "x" * 21}, "config_name"),
        ({"data_url": None}, "data_url"),
        ({"boot_file_url": None}, "boot_file_url"),
        ({"engine_id": 4242}, "engine_id"),
    ],
)
def test_config_validation(api: Any, change: dict[str, Any], field: str) -> None:
    body = {key: value for key, value in {**CONFIG, **change}.items() if value is not None}
    response = api.post("/training-job-configs", json=body)
    assert response.status_code == 400
    assert response.json()["is_success"] is False
    assert field in response.json()["error_msg"]


def wait_visualization_status(api: Any, job_id: str, status: int) -> None:
    deadline = time.monotonic() + 10
    while api.get(f"/visualization-jobs/{job_id}").json()["status"] != status:
        assert time.monotonic() < deadline, f"never reached status {status}"
        time.sleep(0.02)


def test_visualization_job_stop_restart_and_delete(api: Any) -> None:
    created = api.post(
        "/visualization-jobs", json={"job_name": "board", "train_url": "/demo/logs/"}
    ).json()
    assert created["status"] == "1" and created["job_id"].isdigit()
    job_id = created["job_id"]
    duplicate = api.post("/visualization-jobs", json={"job_name": "board", "train_url": "/demo/"})
    assert duplicate.json()["error_code"] == "ModelArts.0103"

    wait_visualization_status(api, job_id, 8)
    assert api.post(f"/visualization-jobs/{job_id}/restart").json() == {
        "is_success": False,
        "error_code": "ModelArts.0105",
        "error_msg": "This job can't be resubmit. job status: 8",
    }
    assert api.put(f"/visualization-jobs/{job_id}", json={"job_desc": "tb"}).json()["is_success"]
    listed = api.get("/visualization-jobs", params={"status": "8"}).json()
    assert listed["jobs"][0]["schedule"] == [{"type": "stop", "timeUnit": "HOURS", "duration": 1}]
    assert listed["jobs"][0]["job_desc"] == "tb"

    assert api.post(f"/visualization-jobs/{job_id}/stop").json() == {"is_success": True}
    assert api.get(f"/visualization-jobs/{job_id}").json()["status"] == 12
    assert api.post(f"/visualization-jobs/{job_id}/stop").json()["error_code"] == "ModelArts.0105"
    assert api.post(f"/visualization-jobs/{job_id}/restart").json() == {"is_success": True}
    wait_visualization_status(api, job_id, 8)
    assert api.delete(f"/visualization-jobs/{job_id}").json() == {"is_success": True}
    assert api.get(f"/visualization-jobs/{job_id}").status_code == 404


@pytest.mark.parametrize("modelarts_local_config", [3600.0], indirect=True)
def test_visualization_job_stops_itself_after_its_schedule(api: Any) -> None:
    # 3,600 documented seconds pass in one: the one-hour auto stop ends within the test.
    job_id = api.post(
        "/visualization-jobs", json={"job_name": "short", "train_url": "/demo/logs/"}
    ).json()["job_id"]
    wait_visualization_status(api, job_id, 12)
