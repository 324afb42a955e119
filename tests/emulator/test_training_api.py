"""Training jobs over HTTP: validation, the numeric status machine, logs, stop and delete."""

import time
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
DEADLINE = 60


@pytest.fixture
def api(modelarts_local, project_api):
    obs = modelarts_local.obs
    obs.create_bucket("demo")
    obs.upload_dir(DATA / "iris_training", "obs://demo/code/iris/")
    obs.write(
        "obs://demo/code/slow/boot.py",
        b"import time\nprint('started', flush=True)\ntime.sleep(600)\n",
    )
    obs.write("obs://demo/code/fail/boot.py", b"import sys\nprint('bad luck')\nsys.exit(3)\n")
    obs.write("obs://demo/data/iris.csv", b"")
    return project_api


def job_body(name, code="slow", **config):
    return {
        "job_name": name,
        "job_desc": "test",
        "config": {
            "worker_server_num": 1,
            "app_url": f"/demo/code/{code}/",
            "boot_file_url": f"/demo/code/{code}/boot.py",
            "parameter": [{"label": "lr", "value": "0.01"}],
            "data_url": "/demo/data/",
            "spec_id": 2,
            "engine_id": 31,
            "train_url": f"/demo/out/{name}/",
            "log_url": f"/demo/logs/{name}/",
            **config,
        },
    }


def wait_status(api, job_id, version_id, wanted):
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        version = api.get(f"/training-jobs/{job_id}/versions/{version_id}").json()
        if version["status"] in wanted:
            return version
        time.sleep(0.1)
    raise AssertionError(f"status {version['status']} never reached {wanted}")


def test_create_answers_numbers_as_strings_then_runs_and_fails_with_log(api):
    created = api.post("/training-jobs", json=job_body("failing", code="fail"))
    assert created.status_code == 200, created.text
    body = created.json()
    assert body["is_success"] is True
    assert body["status"] == "1" and body["job_id"].isdigit() and body["version_id"].isdigit()
    assert body["version_name"] == "V0001"

    version = wait_status(api, body["job_id"], body["version_id"], {11})
    assert "bad luck" in version["failed_reason"]
    assert version["engine_name"] == "XGBoost-Sklearn"
    assert version["parameter"] == [{"label": "lr", "value": "0.01"}]
    names = api.get(f"/training-jobs/{body['job_id']}/versions/{body['version_id']}/log/file-names")
    assert names.json() == {"is_success": True, "log_file_list": ["failing.0"]}
    log = api.get(
        f"/training-jobs/{body['job_id']}/versions/{body['version_id']}/log",
        params={"log_file": "failing.0", "start_byte": 0, "offset": 2048},
    ).json()
    assert log["log"] == "bad luck\n"
    assert log["end_byte"] == "9" and log["count"] == "9"
    lines = api.get(
        f"/training-jobs/{body['job_id']}/versions/{body['version_id']}/aom-log",
        params={"log_file": "failing.0", "lines": 10},
    ).json()
    assert lines["content"] == "bad luck\n" and lines["start_line"] == "0"


def test_stop_then_list_versions_and_delete(api):
    body = api.post("/training-jobs", json=job_body("stopper")).json()
    job_id, version_id = body["job_id"], body["version_id"]
    wait_status(api, job_id, version_id, {8})
    conflict = api.post("/training-jobs", json=job_body("other", train_url="/demo/out/stopper/"))
    assert conflict.status_code == 409
    assert conflict.json()["error_code"] == "ModelArts.2604"

    assert api.post(f"/training-jobs/{job_id}/versions/{version_id}/stop").json() == {
        "is_success": True
    }
    assert wait_status(api, job_id, version_id, {12})["duration"] > 0
    again = api.post(f"/training-jobs/{job_id}/versions/{version_id}/stop")
    assert again.status_code == 409
    assert again.json() == {
        "is_success": False,
        "error_code": "ModelArts.0105",
        "error_msg": "This job can't be stopped. job status: 12",
    }

    second = api.post(
        f"/training-jobs/{job_id}/versions",
        json={
            "config": {**job_body("x", code="fail")["config"], "pre_version_id": int(version_id)}
        },
    ).json()
    assert second["is_success"] is True and second["status"] == 1
    versions = api.get(f"/training-jobs/{job_id}/versions").json()
    assert versions["version_count"] == 2
    assert [v["version_name"] for v in versions["versions"]] == ["V0002", "V0001"]
    assert isinstance(versions["versions"][0]["system_metric_list"], str)

    listed = api.get("/training-jobs", params={"search_content": "stop"}).json()
    assert [j["job_name"] for j in listed["jobs"]] == ["stopper"]
    assert listed["jobs"][0]["version_count"] == 2

    assert api.put(f"/training-jobs/{job_id}", json={"job_desc": "new"}).json()["is_success"]
    assert api.delete(f"/training-jobs/{job_id}/versions/{second['version_id']}").status_code == 200
    assert api.delete(f"/training-jobs/{job_id}").json() == {"is_success": True}
    gone = api.get(f"/training-jobs/{job_id}/versions/{version_id}")
    assert gone.status_code == 404 and gone.json()["is_success"] is False


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"job_name": "bad name!"}, "job_name"),
        ({"config": {"spec_id": 2, "worker_server_num": 1, "train_url": "/demo/o/"}}, "app_url"),
        ({"config": {**job_body("a")["config"], "model_id": 41}}, "app_url"),
        ({"config": {**job_body("a")["config"], "dataset_id": "d"}}, "data_url"),
        ({"config": {**job_body("a")["config"], "spec_id": 999}}, "config.spec_id"),
        ({"config": {**job_body("a")["config"], "worker_server_num": 9}}, "worker_server_num"),
        ({"config": {**job_body("a")["config"], "train_url": "/nobucket/x/"}}, "config.train_url"),
        ({"config": {**job_body("a")["config"], "parameter": [{"value": "1"}]}}, "label"),
    ],
)
def test_create_rejects_bad_fields_by_name(api, change, field):
    response = api.post("/training-jobs", json={**job_body("valid"), **change})
    assert response.status_code == 400
    body = response.json()
    assert body["is_success"] is False
    assert field in body["error_msg"]


def test_duplicate_name_and_missing_job(api):
    assert api.post("/training-jobs", json=job_body("twice", code="fail")).status_code == 200
    duplicate = api.post(
        "/training-jobs", json=job_body("twice", code="fail", train_url="/demo/o2/")
    )
    assert (duplicate.status_code, duplicate.json()["error_code"]) == (409, "ModelArts.0103")
    assert api.get("/training-jobs/999/versions/1").status_code == 404


def test_built_in_algorithm_trains_a_servable_package(api, modelarts_local):
    modelarts_local.obs.write(
        "obs://demo/table/points.csv",
        b"a,b,label\n"
        + b"".join(f"{i},{i % 3},{'big' if i > 9 else 'small'}\n".encode() for i in range(20)),
    )
    body = {
        "job_name": "forest",
        "config": {
            "worker_server_num": 1,
            "model_id": 42,
            "parameter": [{"label": "n_estimators", "value": "5"}],
            "data_url": "/demo/table/",
            "spec_id": 2,
            "train_url": "/demo/out/forest/",
        },
    }
    created = api.post("/training-jobs", json=body).json()
    version = wait_status(api, created["job_id"], created["version_id"], {10, 11, 5})
    assert version["status"] == 10, version.get("failed_reason")
    assert version["engine_name"] == "XGBoost-Sklearn"
    model = modelarts_local.obs.local_path("obs://demo/out/forest/model/")
    assert sorted(p.name for p in model.iterdir()) == ["config.json", "model.m"]

    mxnet = api.post(
        "/training-jobs",
        json={
            **body,
            "job_name": "resnet",
            "config": {**body["config"], "model_id": 4, "train_url": "/demo/out/resnet/"},
        },
    ).json()
    failed = wait_status(api, mxnet["job_id"], mxnet["version_id"], {5})
    assert "ResNet_v2_50 has no local implementation" in failed["failed_reason"]
