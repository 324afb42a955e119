"""Models over HTTP: import checks the package and publishes or fails it with a reason."""

import json
import time

import joblib
import pytest
from sklearn.linear_model import LinearRegression

DEADLINE = 30
CONFIG = {
    "model_type": "Scikit_Learn",
    "model_algorithm": "predict_analysis",
    "runtime": "python3.6",
}


@pytest.fixture
def api(modelarts_local, project_api, tmp_path):
    obs = modelarts_local.obs
    obs.create_bucket("models")
    joblib.dump(LinearRegression().fit([[0.0], [1.0]], [1.0, 3.0]), tmp_path / "linear.m")
    obs.write("obs://models/linear/model/linear.m", tmp_path / "linear.m")
    obs.write("obs://models/linear/model/config.json", json.dumps(CONFIG).encode())
    obs.write("obs://models/broken/model/config.json", b"{not json")
    return project_api


def import_body(**changes):
    return {
        "model_name": "linear",
        "model_version": "1.0.0",
        "source_location": "/models/linear/",
        "model_type": "Scikit_Learn",
        **changes,
    }


def wait_model(api, model_id, statuses):
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        model = api.get(f"/models/{model_id}").json()
        if model["model_status"] in statuses:
            return model
        time.sleep(0.05)
    raise AssertionError(f"model stayed {model['model_status']}")


def test_import_publishes_a_valid_package(api):
    created = api.post("/models", json=import_body(model_type="scikit_learn"))
    assert created.status_code == 200, created.text
    model_id = created.json()["model_id"]
    model = wait_model(api, model_id, {"published", "failed"})
    assert model["model_status"] == "published", model.get("failed_reason")
    assert model["model_type"] == "Scikit_Learn"
    assert model["model_size"] > 0
    assert json.loads(model["config"]) == CONFIG
    assert model["runtime"] == "python3.6"
    assert "package_dir" not in model

    listed = api.get("/models", params={"model_name": "lin"}).json()
    assert listed["total_count"] == 1 and listed["models"][0]["model_id"] == model_id
    assert api.get("/models", params={"model_status": "failed"}).json()["count"] == 0

    duplicate = api.post("/models", json=import_body())
    assert duplicate.status_code == 409
    assert duplicate.json()["error_code"] == "ModelArts.3002"


def test_bad_package_fails_with_its_reason_and_cascade_delete(api):
    first = api.post("/models", json=import_body(source_location="obs://models/broken/")).json()
    failed = wait_model(api, first["model_id"], {"failed"})
    assert "config.json is not valid JSON" in failed["failed_reason"]
    second = api.post(
        "/models", json=import_body(model_version="1.0.1", source_location="/models/linear/model/")
    ).json()
    wait_model(api, second["model_id"], {"published"})

    deleted = api.delete(f"/models/{first['model_id']}", params={"cascade": "true"})
    assert deleted.status_code == 200
    assert sorted(deleted.json()["delete_success_list"]) == sorted(
        [first["model_id"], second["model_id"]]
    )
    assert deleted.json()["delete_failed_list"] == []
    assert api.get(f"/models/{second['model_id']}").json()["error_code"] == "ModelArts.3001"


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"model_version": "01.01.01"}, "ModelArts.3037", "model_version"),
        ({"model_type": "Keras"}, "ModelArts.3037", "model_type"),
        ({"description": "a<b"}, "ModelArts.3037", "description"),
        ({"model_algorithm": "1abc"}, "ModelArts.3037", "model_algorithm"),
        ({"model_name": ""}, "ModelArts.3037", "model_name"),
        ({"source_location": "/models/absent/"}, "ModelArts.3017", "absent"),
        ({"install_type": ["streaming"]}, "ModelArts.3037", "install_type"),
        ({"execution_code": "/models/other/customize_service.py"}, "ModelArts.3037", "inside"),
        ({"execution_code": "/models/linear/model/main.py"}, "ModelArts.3037", "execution_code"),
        (
            {
                "dependencies": [
                    {
                        "installer": "pip",
                        "packages": [{"package_name": "numpy", "package_version": "1.0"}],
                    }
                ]
            },
            "ModelArts.3037",
            "restraint",
        ),
    ],
)
def test_import_rejects_bad_fields(api, change, code, field):
    response = api.post("/models", json=import_body(**change))
    assert response.status_code == 400
    assert response.json()["error_code"] == code
    assert field in response.json()["error_msg"]
