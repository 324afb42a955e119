"""Models and real-time services through the client: import, publish, deploy, predict,
monitor, update, stop/start, delete, against Local ModelArts' real inference servers."""

from __future__ import annotations

import json

import joblib
import pytest
from sklearn.linear_model import LinearRegression

from jupyterlab_modelarts.cloud.errors import ConflictError, NotFoundError, ValidationError
from jupyterlab_modelarts.cloud.schemas.services import REALTIME_SPECIFICATIONS

CONFIG = {"model_type": "Scikit_Learn", "model_algorithm": "predict_analysis"}
PREDICT = {"data": {"req_data": [{"x": 2.0}]}}
MODEL_TYPES = (
    "'TensorFlow', 'MXNet', 'Caffe', 'Spark_MLlib', 'Scikit_Learn', 'XGBoost', 'Image', 'PyTorch'"
    " or 'MindSpore'"
)


@pytest.fixture
def package(modelarts_local, tmp_path):
    obs = modelarts_local.obs
    obs.create_bucket("models")
    joblib.dump(LinearRegression().fit([[0.0], [1.0]], [1.0, 3.0]), tmp_path / "linear.m")
    obs.write("obs://models/linear/model/linear.m", tmp_path / "linear.m")
    obs.write("obs://models/linear/model/config.json", json.dumps(CONFIG).encode())
    return "/models/linear/"


async def publish(ma, package, version="1.0.0"):
    created = await ma.models.create(
        model_name="linear",
        model_version=version,
        source_location=package,
        model_type="Scikit_Learn",
        model_metrics={"accuracy": 0.9},
    )
    model = await ma.models.wait(created.model_id, timeout=60, interval=0.05)
    assert model.model_status == "published", model
    return model


def realtime(model_id, weight=100, instances=1):
    return {
        "model_id": model_id,
        "weight": weight,
        "specification": "modelarts.vm.cpu.2u",
        "instance_count": instances,
    }


async def test_model_import_list_and_delete(ma, package):
    model = await publish(ma, package)
    assert model.model_metrics == {"accuracy": 0.9}  # decoded from its JSON string
    assert await ma.models.find("linear", "1.0.0") is not None
    listed = [m.model_id async for m in ma.models.iterate(page_size=1)]
    assert listed == [model.model_id]
    with pytest.raises(ConflictError):
        await ma.models.create(
            model_name="linear", model_version="1.0.0", source_location=package,
            model_type="Scikit_Learn",
        )  # fmt: skip
    result = await ma.models.delete(model.model_id)
    assert result.delete_success_list == [model.model_id]
    with pytest.raises(NotFoundError):
        await ma.models.get(model.model_id)


async def test_model_rules_are_checked_before_sending(ma, package):
    base = {"model_name": "m", "model_version": "1.0.0", "source_location": package,
            "model_type": "Scikit_Learn"}  # fmt: skip
    unpinned = {"packages": [{"package_name": "numpy", "package_version": "1.26"}]}
    # the field, and the code and values the front end words the error from
    cases = [
        ({"model_version": "1.0"}, "model_version",
         ("PATTERN_MISMATCH", {"pattern": r"(0|[1-9]\d?)\.(0|[1-9]\d?)\.(0|[1-9]\d?)"})),
        ({"source_location": "/models/linear"}, "source_location",
         ("OBS_FOLDER", {"reason": "trailing_slash"})),
        ({"model_type": "Keras"}, "model_type", ("NOT_A_CHOICE", {"expected": MODEL_TYPES})),
        ({"description": "a=b"}, "description", ("FORBIDDEN_CHARACTERS", {"characters": "="})),
        ({"execution_code": "/models/linear/serve.py"}, "execution_code",
         ("FILE_NAME", {"name": "customize_service.py"})),
        ({"dependencies": [unpinned]}, "dependencies[0].packages[0].restraint",
         ("REQUIRED_WITH", {"other": "package_version"})),
        ({"model_docs": [{"doc_name": "1doc", "doc_url": "https://x"}]}, "model_docs[0].doc_name",
         ("PATTERN_MISMATCH", {"pattern": "[A-Za-z一-龥][A-Za-z0-9一-龥_-]{0,47}"})),
        ({"install_type": ["streaming"]}, "install_type[0]",
         ("NOT_A_CHOICE", {"expected": "'real-time', 'edge' or 'batch'"})),
    ]  # fmt: skip
    for change, field, wording in cases:
        with pytest.raises(ValidationError) as caught:
            await ma.models.create(base | change)
        assert (caught.value.field, caught.value.wording) == (field, wording), change
    with pytest.raises(ValidationError) as caught:
        await ma.models.list(model_type="TensorFlow", not_model_type="Image")
    assert (caught.value.field, caught.value.wording) == (
        "not_model_type",
        ("EXCLUSIVE", {"other": "model_type"}),
    )
    assert (await ma.models.list()).models == []


async def test_service_deploy_predict_update_stop_and_delete(ma, package):
    first = await publish(ma, package)
    created = await ma.services.create(
        service_name="linear-svc", infer_type="real-time", config=[realtime(first.model_id)]
    )
    service = await ma.services.wait(created.service_id, timeout=60, interval=0.05)
    assert service.status == "running" and service.access_address
    answer = await ma.services.predict(service, PREDICT)
    assert answer["data"]["resp_data"][0]["predictresult"] == pytest.approx(5.0)

    monitor = await ma.services.monitor(service.service_id)
    assert monitor.monitors
    events = await ma.services.events(service.service_id, order="asc")
    assert events.events and events.events[0].event_info
    assert [s.service_id async for s in ma.services.iterate()] == [service.service_id]
    assert (await ma.services.find("linear-svc")).service_id == service.service_id

    refused = await ma.models.delete(first.model_id)
    assert refused.delete_failed_list[0].error_code == "ModelArts.3009"

    second = await publish(ma, package, "1.0.1")
    await ma.services.update(
        service.service_id,
        config=[realtime(first.model_id, 70), realtime(second.model_id, 30)],
    )
    await ma.services.wait(service.service_id, frozenset({"running"}), timeout=60, interval=0.05)
    logs = await ma.services.update_logs(service.service_id)
    assert len(logs.logs) >= 2

    await ma.services.stop(service.service_id)
    stopped = await ma.services.wait(
        service.service_id, frozenset({"stopped"}), timeout=60, interval=0.05
    )
    assert stopped.status == "stopped"
    await ma.services.start(service.service_id)
    await ma.services.wait(service.service_id, frozenset({"running"}), timeout=60, interval=0.05)

    await ma.services.delete(service.service_id)
    with pytest.raises(NotFoundError) as missing:
        await ma.services.get(service.service_id)
    assert missing.value.error_code == "ModelArts.3502"


async def test_service_rules_are_checked_before_sending(ma):
    base = {"service_name": "svc", "infer_type": "real-time"}
    # the field, and the code and values the front end words the error from
    cases = [
        ({"config": []}, "config", ("TOO_FEW", {"min_length": 1})),
        ({"config": [realtime("a", 60), realtime("b", 30)]}, "config",
         ("WEIGHTS_TOTAL", {"total": 90})),
        ({"config": [realtime("a", 50), realtime("a", 50)]}, "config",
         ("GIVEN_TWICE", {"key": "model_id", "value": "a"})),
        ({"config": [realtime("a") | {"instance_count": 0}]}, "config[0].instance_count",
         ("OUT_OF_RANGE", {"ge": 1})),
        ({"config": [realtime("a") | {"specification": "huge"}]}, "config[0].specification",
         ("NOT_A_CHOICE", {"expected": sorted(REALTIME_SPECIFICATIONS)})),
        ({"config": [realtime("a")], "vpc_id": "v"}, "subnet_network_id",
         ("REQUIRED_WITH", {"other": "vpc_id"})),
        ({"config": [realtime("a")], "service_name": "bad name"}, "service_name",
         ("PATTERN_MISMATCH", {"pattern": "[A-Za-z0-9一-龥_-]{1,64}"})),
        ({"config": [realtime("a")], "schedule": [{"time_unit": "WEEKS", "duration": 1}]},
         "schedule[0].time_unit", ("NOT_A_CHOICE", {"expected": "'DAYS', 'HOURS' or 'MINUTES'"})),
        ({"infer_type": "batch", "config": [realtime("a")]}, "config[0].src_path",
         ("REQUIRED_WITH", {"other": "infer_type", "value": "batch"})),
    ]  # fmt: skip
    for change, field, wording in cases:
        with pytest.raises(ValidationError) as caught:
            await ma.services.create(base | change)
        assert (caught.value.field, caught.value.wording) == (field, wording), change
    with pytest.raises(ValidationError) as caught:
        await ma.services.update("x", status="stopped", config=[realtime("a")])
    assert (caught.value.field, caught.value.wording) == (
        "config",
        ("EXCLUSIVE", {"other": "status"}),
    )


async def test_specifications_and_clusters(ma):
    specs = await ma.services.specifications()
    assert "modelarts.vm.cpu.2u" in {s.specification for s in specs.specifications}
    clusters = await ma.services.clusters()
    assert clusters.total_count is not None
