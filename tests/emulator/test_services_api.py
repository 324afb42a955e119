"""Real-time services over HTTP: deploy a model, predict through access_address, monitor,
stop and start, scale, events and update logs, delete."""

import json
import time

import httpx
import joblib
import pytest
from sklearn.linear_model import LinearRegression

from jupyterlab_modelarts.emulator.config import EmulatorConfig

DEADLINE = 60
CONFIG = {"model_type": "Scikit_Learn", "model_algorithm": "predict_analysis"}


@pytest.fixture
def modelarts_local_config(tmp_path, request):
    speed = getattr(request, "param", 50.0)
    return EmulatorConfig(data_dir=tmp_path / "modelarts-local", speed=speed)


@pytest.fixture
def api(modelarts_local, tmp_path):
    obs = modelarts_local.obs
    obs.create_bucket("models")
    joblib.dump(LinearRegression().fit([[0.0], [1.0]], [1.0, 3.0]), tmp_path / "linear.m")
    obs.write("obs://models/linear/model/linear.m", tmp_path / "linear.m")
    obs.write("obs://models/linear/model/config.json", json.dumps(CONFIG).encode())
    with httpx.Client(
        base_url=modelarts_local.project_url,
        headers={"X-Auth-Token": modelarts_local.token()},
        timeout=60,
    ) as client:
        yield client


def poll(fetch, done):
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        value = fetch()
        if done(value):
            return value
        time.sleep(0.05)
    raise AssertionError(f"never reached the wanted state: {value}")


def published_model(api, version="1.0.0"):
    model_id = api.post(
        "/models",
        json={
            "model_name": "linear",
            "model_version": version,
            "source_location": "/models/linear/",
            "model_type": "Scikit_Learn",
        },
    ).json()["model_id"]
    poll(lambda: api.get(f"/models/{model_id}").json(), lambda m: m["model_status"] == "published")
    return model_id


def deploy(api, model_id, name="linear-svc", **changes):
    body = {
        "service_name": name,
        "infer_type": "real-time",
        "config": [
            {
                "model_id": model_id,
                "weight": "100",
                "specification": "modelarts.vm.cpu.2u",
                "instance_count": 1,
            }
        ],
        **changes,
    }
    response = api.post("/services", json=body)
    assert response.status_code == 200, response.text
    return response.json()["service_id"]


def service_in(api, service_id, *statuses):
    return poll(
        lambda: api.get(f"/services/{service_id}").json(), lambda s: s["status"] in statuses
    )


def test_deploy_predict_stop_start_scale_and_delete(api):
    model_id = published_model(api)
    service_id = deploy(api, model_id)
    service = service_in(api, service_id, "running", "failed")
    assert service["status"] == "running", service.get("error_msg")
    assert service["progress"] == 100
    assert service["config"][0]["status"] == "ready"
    assert service["config"][0]["model_name"] == "linear"

    predict = {"data": {"req_data": [{"x": 2.0}]}}
    answer = api.post(service["access_address"], json=predict)
    assert answer.status_code == 200
    assert answer.json()["data"]["resp_data"][0]["predictresult"] == pytest.approx(5.0)
    unsigned = httpx.post(service["access_address"], json=predict)
    assert unsigned.status_code == 401

    monitor = api.get(f"/services/{service_id}/monitor").json()
    assert monitor["monitors"][0]["invocation_times"] == 1
    assert isinstance(monitor["monitors"][0]["cpu_core_usage"], str)
    events = [e["event_info"] for e in api.get(f"/services/{service_id}/events").json()["events"]]
    assert events[-1] == "start to deploy service" and events[0] == "service is running"
    logs = api.get(f"/services/{service_id}/logs").json()["logs"]
    assert [log["result"] for log in logs] == ["SUCCESS"]

    refused = api.delete(f"/models/{model_id}").json()
    assert refused["delete_failed_list"][0]["error_code"] == "ModelArts.3009"

    assert api.put(f"/services/{service_id}", json={"status": "stopped"}).status_code == 200
    assert api.get(f"/services/{service_id}").json()["status"] == "stopped"
    stopped = api.post(service["access_address"], json=predict)
    assert (stopped.status_code, stopped.json()["error_code"]) == (503, "ModelArts.4302")

    config = [
        {
            "model_id": model_id,
            "weight": 100,
            "specification": "modelarts.vm.cpu.2u",
            "instance_count": 2,
        }
    ]
    assert api.put(f"/services/{service_id}", json={"status": "running"}).status_code == 200
    busy = api.put(f"/services/{service_id}", json={"config": config})
    assert busy.status_code == 409 and busy.json()["error_code"] == "ModelArts.3519"
    service_in(api, service_id, "running")
    assert api.put(f"/services/{service_id}", json={"config": config}).status_code == 200
    scaled = service_in(api, service_id, "running")
    assert scaled["config"][0]["instance_count"] == 2
    for _ in range(4):
        assert api.post(service["access_address"], json=predict).status_code == 200
    assert [log["result"] for log in api.get(f"/services/{service_id}/logs").json()["logs"]] == [
        "SUCCESS",
        "SUCCESS",
        "SUCCESS",
    ]

    listed = api.get("/services", params={"model_id": model_id}).json()
    assert listed["count"] == 1 and listed["services"][0]["invocation_times"] == 6
    assert api.delete(f"/services/{service_id}").status_code == 200
    assert api.get(f"/services/{service_id}").json()["error_code"] == "ModelArts.3502"
    assert api.delete(f"/models/{model_id}").json()["delete_success_list"] == [model_id]


def test_deploy_validation(api):
    model_id = published_model(api)
    base = {"service_name": "svc", "infer_type": "real-time"}

    def entry(**changes):
        return {
            "model_id": model_id,
            "weight": 100,
            "specification": "modelarts.vm.cpu.2u",
            "instance_count": 1,
            **changes,
        }

    cases = [
        ({**base, "config": [entry(weight=60)]}, "ModelArts.0107", "weight"),
        ({**base, "config": [entry(model_id="nope")]}, "ModelArts.3507", "nope"),
        ({**base, "config": [entry(specification="huge")]}, "ModelArts.0107", "specification"),
        ({**base, "config": [entry(instance_count=0)]}, "ModelArts.0107", "instance_count"),
        ({**base, "config": [entry(weight=50), entry(weight=50)]}, "ModelArts.3516", "same"),
        ({**base, "config": [entry()], "vpc_id": "v"}, "ModelArts.0107", "subnet_network_id"),
        ({**base, "config": [entry()], "cluster_id": "x"}, "ModelArts.3547", "x"),
        (
            {
                **base,
                "infer_type": "batch",
                "config": [
                    entry(
                        src_path="/models/linear/",
                        dest_path="/models/out/",
                        req_uri="/",
                        mapping_type="file",
                    )
                ],
            },
            "ModelArts.3514",
            "file input",
        ),
        (
            {
                **base,
                "infer_type": "batch",
                "config": [
                    entry(
                        src_path="/models/linear/",
                        dest_path="/models/out/",
                        req_uri="/",
                        mapping_type="csv",
                    )
                ],
            },
            "ModelArts.0107",
            "mapping_rule",
        ),
        (
            {**base, "infer_type": "edge", "config": [entry(nodes=["node-1"])]},
            "ModelArts.3512",
            "node-1",
        ),
        ({**base, "infer_type": "edge", "config": [entry()]}, "ModelArts.0107", "nodes"),
        (
            {
                **base,
                "config": [entry()],
                "schedule": [{"type": "stop", "time_unit": "WEEKS", "duration": 1}],
            },
            "ModelArts.0107",
            "time_unit",
        ),
    ]
    for body, code, text in cases:
        response = api.post("/services", json=body)
        assert response.status_code in (400, 404), response.text
        assert response.json()["error_code"] == code, body
        assert text in response.json()["error_msg"]


def test_specifications_and_clusters(api):
    specs = api.get("/services/specifications").json()["specifications"]
    assert specs[0]["specification"] == "modelarts.vm.cpu.2u"
    clusters = api.get("/clusters").json()
    assert clusters["count"] == 1 and clusters["clusters"][0]["status"] == "running"
    bad = api.get("/services/specifications", params={"infer_type": "nightly"})
    assert bad.status_code == 400


@pytest.mark.parametrize("modelarts_local_config", [600.0], indirect=True)
def test_schedule_stops_the_service(api):
    # At speed 600 the one-minute schedule lasts 0.1 s.
    service_id = deploy(
        api,
        published_model(api),
        schedule=[{"type": "stop", "time_unit": "MINUTES", "duration": 1}],
    )
    stopped = service_in(api, service_id, "stopped")
    assert stopped["schedule"] == [{"type": "stop", "time_unit": "MINUTES", "duration": 1}]
    events = api.get(f"/services/{service_id}/events").json()["events"]
    assert events[0]["event_info"] == "service stopped by its schedule"


def test_batch_service_predicts_every_csv_row(api, modelarts_local):
    model_id = published_model(api)
    modelarts_local.obs.write("obs://models/batch/in/rows.csv", b"2\n3\n")
    rule = {
        "type": "object",
        "properties": {
            "data": {
                "type": "object",
                "properties": {
                    "req_data": {
                        "type": "array",
                        "items": [
                            {"type": "object", "properties": {"x": {"type": "number", "index": 0}}}
                        ],
                    }
                },
            }
        },
    }
    service_id = deploy(
        api,
        model_id,
        name="batch-svc",
        infer_type="batch",
        config=[
            {
                "model_id": model_id,
                "specification": "modelarts.vm.cpu.2u",
                "instance_count": 1,
                "src_path": "/models/batch/in/",
                "dest_path": "/models/batch/out/",
                "req_uri": "/",
                "mapping_type": "csv",
                "mapping_rule": rule,
            }
        ],
    )
    finished = service_in(api, service_id, "finished", "failed")
    assert finished["status"] == "finished", finished.get("error_msg")
    assert finished["invocation_times"] == 2 and finished["failed_times"] == 0
    assert finished["config"][0]["finished_time"] >= finished["config"][0]["start_time"]
    assert "access_address" not in finished
    out = modelarts_local.obs.local_path("obs://models/batch/out/")
    answers = {
        p.name: json.loads(p.read_text())["data"]["resp_data"][0]["predictresult"]
        for p in out.iterdir()
    }
    assert answers == pytest.approx({"rows.csv.1.result": 5.0, "rows.csv.2.result": 7.0})
    assert api.get(f"/services/{service_id}/monitor").status_code == 400
    listed = api.get("/services", params={"infer_type": "batch"}).json()["services"]
    assert listed[0]["status"] == "finished" and listed[0]["finished_time"]
