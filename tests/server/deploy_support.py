"""Shared by the deploy, models and services handler tests: a real scikit-learn model package
in the server root, a REST caller, and a wait for operations and services."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import joblib
from sklearn.datasets import load_iris
from sklearn.tree import DecisionTreeClassifier

DEADLINE_SECONDS = 60.0
SETOSA = {"data": {"req_data": [{"sl": 5.1, "sw": 3.5, "pl": 1.4, "pw": 0.2}]}}
SERVICE_CODE = """import json

from model_service.python_model_service import XgSklServingBaseService


class IrisService(XgSklServingBaseService):
    def _preprocess(self, data):
        rows = json.loads(data)["data"]["req_data"]
        return [list(row.values()) for row in rows]
"""


def iris_classifier() -> DecisionTreeClassifier:
    iris = load_iris()
    names = [str(name) for name in iris.target_names]
    return DecisionTreeClassifier(random_state=0).fit(iris.data, [names[t] for t in iris.target])


def write_iris_package(folder: Path) -> Path:
    """A ModelArts model package: model/ with iris.m, config.json, customize_service.py."""
    model = folder / "model"
    model.mkdir(parents=True)
    joblib.dump(iris_classifier(), model / "iris.m")
    config = {"model_type": "Scikit_Learn", "model_algorithm": "predict_analysis",
              "runtime": "python3.6"}  # fmt: skip
    (model / "config.json").write_text(json.dumps(config))
    (model / "customize_service.py").write_text(SERVICE_CODE)
    return folder


def extension(serverapp):
    return serverapp.extension_manager.extension_points["jupyterlab_modelarts"].app


def isolated_config(tmp_path):
    """``modelarts_config``: profiles and Local ModelArts data in the test's temp dir."""
    return {"profiles_dir": str(tmp_path / "profiles"), "local_data_dir": str(tmp_path / "local")}


async def wait_for(check, what: str):
    """Poll ``check()`` until it returns something truthy, within the deadline."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        found = await check()
        if found:
            return found
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)


async def finished_operation(api, operation_id: str) -> dict:
    async def ended():
        _, record = await api("GET", "operations", operation_id)
        return record if record["state"] != "running" else None

    return await wait_for(ended, f"operation {operation_id}")


async def service_status(api, service_id: str, wanted: str) -> dict:
    async def reached():
        _, service = await api("GET", "services", service_id)
        return service if service["status"] == wanted else None

    return await wait_for(reached, f"service {service_id} {wanted}")


def deploy_body(path: str, name: str, **service: object) -> dict:
    return {
        "path": path,
        "model_name": name,
        "model_version": "1.0.0",
        "model_type": "Scikit_Learn",
        "service": {
            "service_name": f"{name}-svc",
            "specification": "modelarts.vm.cpu.2u",
            "instance_count": 1,
            **service,
        },
    }
