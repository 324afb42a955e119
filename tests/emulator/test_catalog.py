"""Resource specs, engines and built-in algorithms (004 §5.4, §5.1.12) through the official SDK's
``call_api`` with signed requests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkmodelarts.v1 import ModelArtsClient
from instances_support import fast_config, modelarts_client

from jupyterlab_modelarts.emulator.config import EmulatorConfig


@pytest.fixture
def modelarts_local_config(tmp_path: Path) -> EmulatorConfig:
    return fast_config(tmp_path)


@pytest.fixture
def client(modelarts_local: Any) -> ModelArtsClient:
    return modelarts_client(modelarts_local)


def get(client: ModelArtsClient, path: str, **query: str) -> dict[str, Any]:
    response = client.call_api(
        "/v1/{project_id}" + path,
        "GET",
        query_params=sorted(query.items()),
        header_params={"Content-Type": "application/json"},
        response_type="ShowWorkspaceResponse",
    )
    return json.loads(response.raw_content)


def test_resource_specs_follow_the_documented_sample(client: ModelArtsClient) -> None:
    listed = get(client, "/job/resource-specs", job_type="train")

    assert listed["is_success"] is True
    assert listed["spec_total_count"] == len(listed["specs"])
    cpu = next(spec for spec in listed["specs"] if spec["spec_code"] == "modelarts.vm.cpu.2u")
    # numbers as strings where the document prints them so
    assert (cpu["core"], cpu["cpu"], cpu["max_num"], cpu["no_resource"]) == ("2", "8", 2, False)


def test_engines_per_job_type(client: ModelArtsClient) -> None:
    train = get(client, "/job/ai-engines", job_type="train")["engines"]
    inference = get(client, "/job/ai-engines", job_type="inference")["engines"]

    assert "XGBoost-Sklearn" in {engine["engine_name"] for engine in train}
    assert {engine["engine_id"] for engine in train}.isdisjoint(
        {engine["engine_id"] for engine in inference}
    )


def test_built_in_algorithms_page_sort_and_search(client: ModelArtsClient) -> None:
    first = get(
        client, "/built-in-algorithms", per_page="2", page="1", sortBy="model_name", order="asc"
    )
    assert first["model_total_count"] == 4
    assert [model["model_name"] for model in first["models"]] == [
        "Faster_RCNN_ResNet_v2_101",
        "Logistic_Regression",
    ]
    parameters = json.loads(first["models"][0]["parameter"])
    assert {"label", "value", "required"} <= set(parameters[0])

    found = get(client, "/built-in-algorithms", search_content="n_estimators")
    assert [model["model_name"] for model in found["models"]] == ["Random_Forest"]


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/job/resource-specs", {"job_type": "predict"}, "job_type"),
        ("/job/resource-specs", {"project_type": "4"}, "project_type"),
        ("/job/resource-specs", {"engine_id": "9999"}, "engine_id"),
        ("/built-in-algorithms", {"per_page": "101"}, "per_page"),
        ("/built-in-algorithms", {"sortBy": "owner"}, "sortBy"),
    ],
)
def test_invalid_queries_get_the_training_error_shape(
    client: ModelArtsClient, path: str, query: dict[str, str], field: str
) -> None:
    with pytest.raises(ClientRequestException) as refused:
        get(client, path, **query)

    assert refused.value.status_code == 400
    assert refused.value.error_code == "ModelArts.0107"
    assert field in refused.value.error_msg


def test_error_body_carries_is_success_false(modelarts_local: Any) -> None:
    response = httpx.get(
        f"{modelarts_local.project_url}/job/ai-engines",
        params={"job_type": "predict"},
        headers={"X-Auth-Token": modelarts_local.token()},
    )

    assert response.status_code == 400
    assert response.json() == {
        "is_success": False,
        "error_code": "ModelArts.0107",
        "error_msg": "Invalid parameter job_type: must be one of train, inference",
    }
