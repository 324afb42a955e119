"""Deploy from a path of the server root over REST, against the embedded Local ModelArts."""

from __future__ import annotations

import json
import os

import joblib
import pytest
from deploy_support import (
    SETOSA,
    deploy_body,
    extension,
    finished_operation,
    iris_classifier,
    isolated_config,
    write_iris_package,
)

modelarts_config = pytest.fixture(isolated_config)


async def test_model_package_folder_becomes_a_running_service_that_predicts(api, jp_root_dir):
    write_iris_package(jp_root_dir / "iris")

    code, found = await api("POST", "deployments", "inspect", body={"path": "iris"})
    assert code == 200
    assert (found["kind"], found["model_type"], found["runtime"]) == (
        "package", "Scikit_Learn", "python3.6",
    )  # fmt: skip
    assert (found["suggested_name"], found["model_version"]) == ("iris", "1.0.0")

    code, record = await api("POST", "deployments", body=deploy_body("iris", "iris"))
    assert code == 202, record
    record = await finished_operation(api, record["id"])
    assert record["state"] == "succeeded", record["error"]
    states = {step["name"]: step["state"] for step in record["steps"]}
    assert states.pop("package") == "skipped"
    assert set(states.values()) == {"succeeded"}
    result = record["result"]
    assert result["status"] == "running" and result["access_address"]

    code, answer = await api("POST", "services", result["service_id"], "predict",
                             body={"json": SETOSA})  # fmt: skip
    assert code == 200
    assert answer["status"] == 200 and answer["latency_ms"] > 0
    assert answer["body"]["data"]["resp_data"] == [{"predictresult": "setosa"}]

    # the same request by service name (the magics use names)
    code, answer = await api("POST", "services", "iris-svc", "predict", body={"json": SETOSA})
    assert (code, answer["status"]) == (200, 200)

    code, models = await api("GET", "models")
    assert [(m["model_name"], m["model_status"]) for m in models["models"]] == [
        ("iris", "published")
    ]
    code, version = await api("GET", "models", "next-version", model_name="iris")
    assert version["model_version"] == "1.0.1"

    # a second deployment of the same name and version is refused before anything happens
    code, error = await api("POST", "deployments", body=deploy_body("iris", "iris"))
    assert code == 409 and error["error"]["field"] == "model_version"
    assert (error["error"]["code"], error["error"]["params"]) == (
        "MODEL_VERSION_EXISTS",
        {"name": "iris", "version": "1.0.0"},
    )
    code, error = await api(
        "POST", "deployments", body={**deploy_body("iris", "iris"), "model_version": "1.0.1"}
    )
    assert (code, error["error"]["code"]) == (409, "SERVICE_EXISTS"), error
    assert error["error"]["params"] == {"name": "iris-svc"}


async def test_single_model_file_deploys_through_a_generated_package(api, jp_root_dir):
    joblib.dump(iris_classifier(), jp_root_dir / "flowers.joblib")

    code, found = await api("POST", "deployments", "inspect", body={"path": "flowers.joblib"})
    assert code == 200
    assert (found["kind"], found["model_type"]) == ("model_file", "Scikit_Learn")
    assert "XgSklServingBaseService" in found["generated"]["customize_service.py"]
    assert json.loads(found["generated"]["config.json"])["model_type"] == "Scikit_Learn"

    # the user can write the package next to the file to read it before uploading
    code, written = await api("POST", "model-packages", body={"path": "flowers.joblib"})
    assert (code, written["path"]) == (201, "flowers_package")
    package = jp_root_dir / "flowers_package" / "model"
    assert sorted(p.name for p in package.iterdir()) == [
        "config.json", "customize_service.py", "flowers.joblib",
    ]  # fmt: skip

    body = {**deploy_body("flowers.joblib", "flowers"), "generate_package": True}
    code, record = await api("POST", "deployments", body=body)
    assert code == 202, record
    record = await finished_operation(api, record["id"])
    assert record["state"] == "succeeded", record["error"]
    assert record["steps"][0] == {**record["steps"][0], "name": "package", "state": "succeeded"}
    code, answer = await api("POST", "services", record["result"]["service_id"], "predict",
                             body={"json": SETOSA})  # fmt: skip
    assert answer["body"]["data"]["resp_data"] == [{"predictresult": "setosa"}]


async def test_a_folder_holding_only_model_joblib_deploys_and_predicts(api, jp_root_dir):
    (jp_root_dir / "iris_model").mkdir()
    joblib.dump(iris_classifier(), jp_root_dir / "iris_model" / "model.joblib")

    code, found = await api("POST", "deployments", "inspect", body={"path": "iris_model"})
    assert code == 200, found
    assert (found["kind"], found["model_type"], found["model_file"]) == (
        "model_file", "Scikit_Learn", "model.joblib",
    )  # fmt: skip
    body = {**deploy_body("iris_model", "iris_model"), "generate_package": True}
    code, record = await api("POST", "deployments", body=body)
    assert code == 202, record
    record = await finished_operation(api, record["id"])
    assert record["state"] == "succeeded", record["error"]
    # The Test panel's body comes from the generated config.json: one row of 4 features.
    service_id = record["result"]["service_id"]
    code, example = await api("GET", "services", service_id, "request-example")
    assert code == 200, example
    assert example["body"] == {"data": {"req_data": [{"x1": 0, "x2": 0, "x3": 0, "x4": 0}]}}
    row = example["body"]["data"]["req_data"][0]
    row.update(zip(row, SETOSA["data"]["req_data"][0].values(), strict=True))
    code, answer = await api("POST", "services", service_id, "predict",
                             body={"json": example["body"]})  # fmt: skip
    assert answer["body"]["data"]["resp_data"] == [{"predictresult": "setosa"}]

    # The model now in the Models list deploys again as it is: no upload, no new model.
    again = {**deploy_body("", "iris_model", service_name="iris-again"),
             "path": None, "model_id": record["result"]["model_id"]}  # fmt: skip
    code, second = await api("POST", "deployments", body=again)
    assert code == 202, second
    second = await finished_operation(api, second["id"])
    assert second["state"] == "succeeded", second["error"]
    assert [step["name"] for step in second["steps"]] == ["deploy", "running"]
    code, answer = await api("POST", "services", "iris-again", "predict", body={"json": SETOSA})
    assert answer["body"]["data"]["resp_data"] == [{"predictresult": "setosa"}]
    code, models = await api("GET", "models")
    assert len(models["models"]) == 1

    # Nothing recognisable: refused on the path with what was looked for.
    (jp_root_dir / "notes").mkdir()
    (jp_root_dir / "notes" / "todo.txt").write_text("train a model")
    code, error = await api("POST", "deployments", "inspect", body={"path": "notes"})
    assert code == 400 and error["error"]["code"] == "NOT_A_MODEL", error
    assert ".joblib" in error["error"]["message"]


async def test_broken_package_is_refused_or_fails_with_its_reason(api, jp_root_dir, jp_serverapp):
    # a config.json that is no JSON: refused before anything is uploaded
    write_iris_package(jp_root_dir / "garbled")
    (jp_root_dir / "garbled" / "model" / "config.json").write_text("{model_type: ")
    code, error = await api("POST", "deployments", body=deploy_body("garbled", "garbled"))
    assert code == 400
    assert error["error"]["field"] == "path"
    assert "config.json is not valid JSON" in error["error"]["message"]
    assert extension(jp_serverapp).operations.records("deploy") == []

    # inference code the model server cannot use: as on the cloud the model imports (only the
    # layout and config.json are checked then) and the service fails when it starts, with the
    # reason; the message says the failed service stays listed
    write_iris_package(jp_root_dir / "noclass")
    (jp_root_dir / "noclass" / "model" / "customize_service.py").write_text("x = 1\n")
    code, record = await api("POST", "deployments", body=deploy_body("noclass", "noclass"))
    assert code == 202
    record = await finished_operation(api, record["id"])
    assert record["state"] == "failed"
    assert record["error"]["code"] == "SERVICE_FAILED"
    assert "no class derived from a model_service base" in record["error"]["message"]
    assert "stays in the Services list" in record["error"]["message"]
    states = [step["state"] for step in record["steps"]]
    assert states == ["skipped", "succeeded", "succeeded", "succeeded", "succeeded", "failed"]
    code, models = await api("GET", "models")
    assert [(m["model_name"], m["model_status"]) for m in models["models"]] == [
        ("noclass", "published")
    ]
    code, services = await api("GET", "services")
    assert [s["status"] for s in services["services"]] == ["failed"]


async def test_weights_that_do_not_add_up_to_100_are_refused_before_upload(
    api, jp_root_dir, jp_serverapp
):
    write_iris_package(jp_root_dir / "iris")
    body = deploy_body("iris", "iris", weight=60, other_models=[{"model_id": "m-2", "weight": 30}])
    code, error = await api("POST", "deployments", body=body)
    assert code == 400
    assert error["error"]["field"] == "service.weight"
    assert "add up to 100" in error["error"]["message"]
    assert extension(jp_serverapp).operations.records("deploy") == []
    local = await extension(jp_serverapp).local_modelarts()
    assert local.ctx.obs.list_buckets() == []


async def test_paths_outside_the_server_root_are_refused(api, jp_root_dir, tmp_path):
    outside = tmp_path / "outside"
    write_iris_package(outside)
    os.symlink(outside, jp_root_dir / "link")
    for path in ("../outside", str(outside), "link", "iris/../../outside"):
        code, error = await api("POST", "deployments", body=deploy_body(path, "iris"))
        assert code == 400, path
        assert (error["error"]["code"], error["error"]["field"]) == ("OUTSIDE_ROOT", "path")
        code, error = await api("POST", "deployments", "inspect", body={"path": path})
        assert (code, error["error"]["field"]) == (400, "path")
    code, error = await api("POST", "model-packages", body={"path": "../outside/model/iris.m"})
    assert (code, error["error"]["field"]) == (400, "path")
