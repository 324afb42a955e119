"""End to end through the official clients: upload a scikit-learn script with esdk-obs-python,
train it, read its log, import its output as a model, deploy it and predict, all with requests
signed by huaweicloudsdkcore (SDK-HMAC-SHA256), then stop and delete everything."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkmodelarts.v1 import ModelArtsClient
from instances_support import modelarts_client
from obs import ObsClient
from sklearn.datasets import load_iris

DATA = Path(__file__).parent / "data" / "iris_training"
DEADLINE = 90


def call(client: ModelArtsClient, method: str, path: str, body: Any = None, **query: Any) -> Any:
    response = client.call_api(
        path if path.startswith("/v1/infers/") else "/v1/{project_id}" + path,
        method,
        query_params=sorted(query.items()),
        header_params={"Content-Type": "application/json"},
        body=body,
        response_type="ShowWorkspaceResponse",
    )
    return json.loads(response.raw_content) if response.raw_content else None


def poll(read: Any, done: Any) -> Any:
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        value = read()
        if done(value):
            return value
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting; last answer: {value}")


@pytest.fixture
def obs(modelarts_local: Any) -> Any:
    c = modelarts_local.config
    client = ObsClient(
        access_key_id=c.access_key, secret_access_key=c.secret_key, server=modelarts_local.base_url
    )
    yield client
    client.close()


def test_train_import_deploy_predict_and_clean_up(modelarts_local: Any, obs: Any) -> None:
    assert obs.createBucket("e2e").status < 300
    for name in ("train.py", "customize_service.py"):
        assert obs.putFile("e2e", f"code/iris/{name}", str(DATA / name)).status < 300
    iris = load_iris()
    rows = ["sl,sw,pl,pw,species"] + [
        ",".join([*map(str, row), str(iris.target_names[target])])
        for row, target in zip(iris.data, iris.target, strict=True)
    ]
    assert obs.putContent("e2e", "data/iris.csv", "\n".join(rows) + "\n").status < 300
    client = modelarts_client(modelarts_local)

    created = call(
        client,
        "POST",
        "/training-jobs",
        {
            "job_name": "iris-e2e",
            "config": {
                "worker_server_num": 1,
                "app_url": "/e2e/code/iris/",
                "boot_file_url": "/e2e/code/iris/train.py",
                "parameter": [{"label": "max_depth", "value": "3"}],
                "data_url": "/e2e/data/",
                "spec_id": 2,
                "engine_id": 31,
                "train_url": "/e2e/output/",
            },
        },
    )
    job, version = created["job_id"], created["version_id"]
    done = poll(
        lambda: call(client, "GET", f"/training-jobs/{job}/versions/{version}"),
        lambda v: v["status"] in (10, 11),
    )
    assert done["status"] == 10, done.get("failed_reason")
    log_file = call(client, "GET", f"/training-jobs/{job}/versions/{version}/log/file-names")[
        "log_file_list"
    ][0]
    log = call(
        client,
        "GET",
        f"/training-jobs/{job}/versions/{version}/aom-log",
        log_file=log_file,
        lines=50,
    )
    assert "training accuracy" in log["content"]
    assert "max_depth=3" in log["content"]

    model_id = call(
        client,
        "POST",
        "/models",
        {
            "model_name": "iris",
            "model_version": "1.0.0",
            "source_location": "/e2e/output/",
            "model_type": "Scikit_Learn",
            "source_job_id": str(job),
        },
    )["model_id"]
    model = poll(
        lambda: call(client, "GET", f"/models/{model_id}"),
        lambda m: m["model_status"] != "publishing",
    )
    assert model["model_status"] == "published", model.get("failed_reason")
    assert model["execution_code"] == "obs://e2e/output/model/customize_service.py"

    service_id = call(
        client,
        "POST",
        "/services",
        {
            "service_name": "iris-e2e",
            "infer_type": "real-time",
            "config": [
                {
                    "model_id": model_id,
                    "weight": "100",
                    "specification": "modelarts.vm.cpu.2u",
                    "instance_count": 1,
                }
            ],
        },
    )["service_id"]
    service = poll(
        lambda: call(client, "GET", f"/services/{service_id}"), lambda s: s["status"] != "deploying"
    )
    assert service["status"] == "running", service.get("error_msg")
    assert service["access_address"].startswith(modelarts_local.base_url)

    answer = call(
        client,
        "POST",
        f"/v1/infers/{service_id}",
        {"data": {"req_data": [{"sl": 5.1, "sw": 3.5, "pl": 1.4, "pw": 0.2}]}},
    )
    assert answer == {"data": {"resp_data": [{"predictresult": "setosa"}]}}

    call(client, "PUT", f"/services/{service_id}", {"status": "stopped"})
    assert call(client, "GET", f"/services/{service_id}")["status"] == "stopped"
    call(client, "DELETE", f"/services/{service_id}")
    deleted = call(client, "DELETE", f"/models/{model_id}")
    assert deleted["delete_success_list"] == [model_id]
    assert call(client, "DELETE", f"/training-jobs/{job}") == {"is_success": True}
    with pytest.raises(ClientRequestException) as missing:
        call(client, "GET", f"/training-jobs/{job}/versions/{version}")
    assert missing.value.error_code == "ModelArts.0102"
