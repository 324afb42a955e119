"""Model import accepts what the cloud accepts and refuses what it refuses (issue 20)."""

import json
import time

import pytest

from jupyterlab_modelarts.emulator.config import EmulatorConfig

DEADLINE = 60
CONFIG = {"model_type": "TensorFlow", "model_algorithm": "image_classification"}
#: The base is imported conditionally and under another name, as packages written to run both
#: on the cloud and elsewhere do; the class is only known once the module runs.
CONDITIONAL_SERVICE = """\
try:
    from model_service.tfserving_model_service import TfServingBaseService as Base
except ImportError:
    from model_service.model_service import SingleNodeService as Base


class EchoService(Base):
    def _inference(self, data):
        return {"doubled": [2 * value for value in data["values"]]}
"""


@pytest.fixture
def modelarts_local_config(tmp_path):
    return EmulatorConfig(data_dir=tmp_path / "modelarts-local", speed=50.0)


@pytest.fixture
def api(modelarts_local, project_api):
    modelarts_local.obs.create_bucket("models")
    return project_api


def poll(fetch, done):
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        value = fetch()
        if done(value):
            return value
        time.sleep(0.05)
    raise AssertionError(f"never reached the wanted state: {value}")


def write_package(obs, folder, service):
    obs.write(f"obs://models/{folder}/model/config.json", json.dumps(CONFIG).encode())
    obs.write(f"obs://models/{folder}/model/customize_service.py", service.encode())


def import_model(api, folder, version="1.0.0"):
    created = api.post(
        "/models",
        json={
            "model_name": folder,
            "model_version": version,
            "source_location": f"/models/{folder}/",
            "model_type": "TensorFlow",
        },
    )
    assert created.status_code == 200, created.text
    model_id = created.json()["model_id"]
    return poll(
        lambda: api.get(f"/models/{model_id}").json(),
        lambda m: m["model_status"] != "publishing",
    )


def deploy(api, model_id):
    created = api.post(
        "/services",
        json={
            "service_name": f"svc-{model_id[:8]}",
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
    )
    assert created.status_code == 200, created.text
    service_id = created.json()["service_id"]
    return poll(
        lambda: api.get(f"/services/{service_id}").json(),
        lambda s: s["status"] in ("running", "failed"),
    )


def test_a_conditionally_imported_base_imports_and_serves(api, modelarts_local):
    """004 MD-1 execution_code: "If this parameter is left blank, the system can automatically
    identify the inference code in the model directory." The cloud finds the class when the
    service starts; so does Local ModelArts."""
    write_package(modelarts_local.obs, "echo", CONDITIONAL_SERVICE)
    model = import_model(api, "echo")
    assert model["model_status"] == "published", model.get("failed_reason")

    service = deploy(api, model["model_id"])
    assert service["status"] == "running", service.get("error_msg")
    answer = api.post(service["access_address"], json={"values": [1, 2]})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"doubled": [2, 4]}


def test_inference_code_without_a_class_publishes_and_fails_at_service_start(api, modelarts_local):
    """Import fails only for what the cloud rejects at import; a module without an inference
    class is found out when the service starts, with the reason in the service's error."""
    write_package(modelarts_local.obs, "noclass", "VALUE = 1\n")
    model = import_model(api, "noclass")
    assert model["model_status"] == "published", model.get("failed_reason")
    service = deploy(api, model["model_id"])
    assert service["status"] == "failed"
    assert "no class derived from a model_service base" in service["error_msg"]


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("/models/echo", "must end with a slash"),
        ("obs://models/echo", "must end with a slash"),
        ("/models/echo/model/config.json/", "is a file"),
        ("/models/empty/", "is empty"),
    ],
)
def test_source_location_follows_the_3017_rules(api, modelarts_local, location, reason):
    """004 §10.2, ModelArts.3017: "Check whether the source path contains the model directory,
    whether the model directory is empty, and whether the source path ends with a slash (/).\""""
    write_package(modelarts_local.obs, "echo", CONDITIONAL_SERVICE)
    modelarts_local.obs.local_path("obs://models/empty/").mkdir(parents=True)
    refused = api.post(
        "/models",
        json={
            "model_name": "echo",
            "model_version": "1.0.0",
            "source_location": location,
            "model_type": "TensorFlow",
        },
    )
    assert refused.status_code == 400
    assert refused.json()["error_code"] == "ModelArts.3017"
    assert reason in refused.json()["error_msg"]
    assert api.get("/models").json()["total_count"] == 0


def test_the_service_update_sample_without_specification_is_accepted(api, modelarts_local):
    """004 §7.5 sample request: "config": [{"model_id": "xxxx", "weight": "100",
    "instance_count": 1}] (no specification: the model keeps the one it runs with)."""
    write_package(modelarts_local.obs, "echo", CONDITIONAL_SERVICE)
    model = import_model(api, "echo")
    service = deploy(api, model["model_id"])
    assert service["status"] == "running", service.get("error_msg")
    sample = {
        "description": "",
        "config": [{"model_id": model["model_id"], "weight": "100", "instance_count": 1}],
    }
    updated = api.put(f"/services/{service['service_id']}", json=sample)
    assert updated.status_code == 200, updated.text
    service = poll(
        lambda: api.get(f"/services/{service['service_id']}").json(),
        lambda s: s["status"] in ("running", "failed") and s.get("update_time"),
    )
    assert service["config"][0]["specification"] == "modelarts.vm.cpu.2u"


def test_json_valued_string_fields_decode_when_unset(api, modelarts_local):
    """004 §6.1.3 MD-3 sample: "model_metrics": "{\\"f1\\":0.52381,...}", "apis": "[{...}]" and
    `config` ("JSON-encoded model configuration"): JSON documents inside strings, so a client
    decodes them; unset, they hold empty JSON, not "" (and MD-2 lists none of them)."""
    write_package(modelarts_local.obs, "echo", CONDITIONAL_SERVICE)
    model = import_model(api, "echo")
    assert model["model_status"] == "published", model.get("failed_reason")
    assert json.loads(model["model_metrics"]) == {}
    assert json.loads(model["apis"]) == []
    assert json.loads(model["config"]) == CONFIG
    listed = api.get("/models").json()["models"][0]
    assert not {"model_metrics", "apis", "config"} & set(listed)


def test_edge_services_answer_no_edge_node_everywhere(api, modelarts_local):
    """004 §10.2 "ModelArts.3512 ... Edge node not deployed": SV-1 with infer_type edge names
    its nodes (`nodes`, "Edge node IDs"), and SV-4 starts or stops a service on one; Local
    ModelArts has none, so both answer 3512 for the node named."""
    write_package(modelarts_local.obs, "echo", CONDITIONAL_SERVICE)
    model = import_model(api, "echo")
    edge = api.post(
        "/services",
        json={
            "service_name": "edge-svc",
            "infer_type": "edge",
            "config": [
                {
                    "model_id": model["model_id"],
                    "specification": "modelarts.vm.cpu.2u",
                    "nodes": ["edge-node-7"],
                }
            ],
        },
    )
    assert (edge.status_code, edge.json()["error_code"]) == (400, "ModelArts.3512")
    assert "edge-node-7" in edge.json()["error_msg"]
    assert api.get("/services").json()["services"] == []

    service = deploy(api, model["model_id"])
    node = api.put(
        f"/services/{service['service_id']}/nodes/edge-node-7/status", json={"status": "running"}
    )
    assert (node.status_code, node.json()["error_code"]) == (404, "ModelArts.3512")
    assert "edge-node-7" in node.json()["error_msg"]
    bad = api.put(
        f"/services/{service['service_id']}/nodes/edge-node-7/status", json={"status": "paused"}
    )
    assert bad.status_code == 400 and "status" in bad.json()["error_msg"]
