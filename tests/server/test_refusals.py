"""What the REST API refuses before it asks the cloud carries a code and the values the
refusal is built from (the browser words them in the user's language) besides its English
(what the magics print)."""

from __future__ import annotations

import json

import pytest
from deploy_support import deploy_body, isolated_config, write_iris_package

from jupyterlab_modelarts.handlers.base import JSON_BODY_LIMIT

modelarts_config = pytest.fixture(isolated_config)

#: (method, path, query, body) -> (status, code, params, English message)
REFUSALS = [
    pytest.param(
        ("GET", ("training", "jobs", "1", "versions", "9" * 5000), {}, None),
        (
            400,
            "INVALID_ID",
            {"name": "version_id", "reason": "too_long"},
            "version_id: too long for an id",
        ),
        id="id-too-long",
    ),
    pytest.param(
        ("GET", ("catalog", "specs"), {"job_type": "serve"}, None),
        (
            400,
            "NOT_A_CHOICE",
            {"expected": "'train' or 'inference'"},
            "must be 'train' or 'inference'",
        ),
        id="job-type",
    ),
    pytest.param(
        ("GET", ("training", "jobs", "1", "versions", "1", "log"), {"api": "pages"}, None),
        (400, "NOT_A_CHOICE", {"expected": "'lines' or 'bytes'"}, "must be 'lines' or 'bytes'"),
        id="log-api",
    ),
    pytest.param(
        ("GET", ("services", "specifications"), {"infer_type": "edge"}, None),
        (400, "NOT_A_CHOICE", {"expected": "real-time or batch"}, "must be real-time or batch"),
        id="infer-type",
    ),
    pytest.param(
        ("PUT", ("services", "s1", "nodes", "n1", "status"), {}, {"status": "paused"}),
        (400, "NOT_A_CHOICE", {"expected": "running or stopped"}, "must be running or stopped"),
        id="node-status",
    ),
    pytest.param(
        ("GET", ("catalog", "specs"), {"engine_id": "x"}, None),
        (400, "NOT_A_WHOLE_NUMBER", None, "must be a whole number"),
        id="engine-id",
    ),
    pytest.param(
        ("PUT", ("services", "s1"), {}, {"instance_count": 0}),
        (400, "NOT_A_WHOLE_NUMBER", {"minimum": 1}, "must be a whole number, 1 or more"),
        id="instance-count",
    ),
    pytest.param(
        ("PUT", ("services", "s1"), {}, {}),
        (
            400,
            "GIVE_ONE_OF",
            {"fields": ["instance_count", "specification"]},
            "give instance_count or specification",
        ),
        id="nothing-to-change",
    ),
    pytest.param(
        ("PUT", ("services", "s1"), {}, {"weight": 1}),
        (400, "UNKNOWN_FIELD", None, "unknown field"),
        id="unknown-field",
    ),
    pytest.param(
        ("POST", ("services", "s1", "predict"), {}, {}),
        (
            400,
            "GIVE_ONE_OF",
            {"fields": ["json", "file"]},
            "give json, or a file with name and content",
        ),
        id="no-prediction",
    ),
    pytest.param(
        ("POST", ("services", "s1", "predict"), {}, {"file": {"name": "a.png", "content": "*"}}),
        (400, "NOT_BASE64", None, "must be base64"),
        id="not-base64",
    ),
    pytest.param(
        ("POST", ("services", "nope", "predict"), {}, {"json": {}}),
        (404, "NO_SUCH_SERVICE", {"name": "nope"}, "no service 'nope'"),
        id="no-service",
    ),
    pytest.param(
        ("POST", ("model-packages",), {}, {}),
        (400, "FIELD_REQUIRED", None, "a path is required"),
        id="no-path",
    ),
    pytest.param(
        ("POST", ("instances",), {}, {"api": "notebooks", "request": 1}),
        (400, "NOT_AN_OBJECT", None, "request: an object is required"),
        id="instance-request",
    ),
    pytest.param(
        ("GET", ("operations", "abc"), {}, None),
        (404, "NO_SUCH_OPERATION", {"id": "abc"}, "no operation 'abc'"),
        id="no-operation",
    ),
    pytest.param(
        ("PUT", ("training", "jobs", "1"), {}, {"job_desc": 3}),
        (400, "FIELD_REQUIRED", None, "a text is required"),
        id="description",
    ),
]


@pytest.mark.parametrize(("request_", "refusal"), REFUSALS)
async def test_a_refusal_carries_its_code_and_values(api, request_, refusal):
    method, path, query, body = request_
    status, code, params, message = refusal
    answer_status, answer = await api(method, *path, body=body, **query)
    assert answer_status == status, answer
    error = answer["error"]
    assert (error["code"], error.get("params"), error["message"]) == (code, params, message)


async def post_raw(jp_fetch, body: bytes) -> tuple[int, dict]:
    response = await jp_fetch(
        "modelarts", "api", "v1", "profiles", method="POST", body=body, raise_error=False
    )
    return response.code, json.loads(response.body)["error"]


@pytest.mark.parametrize(
    ("body", "status", "params"),
    [
        (b"{", 400, {"reason": "not_json"}),
        (b"[]", 400, {"reason": "not_an_object"}),
        (b" " * (JSON_BODY_LIMIT + 1), 413, {"limit": JSON_BODY_LIMIT}),
    ],
    ids=["not-json", "not-an-object", "too-large"],
)
async def test_a_body_the_handlers_cannot_read_is_refused_with_the_reason(
    jp_fetch, body, status, params
):
    code, error = await post_raw(jp_fetch, body)
    assert (code, error.get("params")) == (status, params), error


async def test_deployments_name_what_is_missing_or_taken(api, jp_root_dir):
    write_iris_package(jp_root_dir / "iris")
    both = {**deploy_body("iris", "iris"), "model_id": "m1"}
    code, answer = await api("POST", "deployments", body=both)
    assert (code, answer["error"]["code"]) == (400, "GIVE_ONE_OF"), answer
    assert answer["error"]["params"] == {"fields": ["path", "source_location", "model_id"]}

    imported = {**deploy_body("iris", "iris"), "path": None, "model_id": "m1", "service": None}
    code, answer = await api("POST", "deployments", body=imported)
    assert (code, answer["error"]["code"]) == (400, "SERVICE_REQUIRED"), answer

    (jp_root_dir / "net.pt").write_bytes(b"a TorchScript archive")
    unpackaged = {
        **deploy_body("net.pt", "net"),
        "model_type": "PyTorch",
        "generate_package": False,
    }
    code, answer = await api("POST", "deployments", body=unpackaged)
    assert (code, answer["error"]["code"]) == (400, "NEEDS_INFERENCE_CODE"), answer
    assert answer["error"]["params"] == {"model_type": "PyTorch"}

    torch_package = jp_root_dir / "torch" / "model"
    torch_package.mkdir(parents=True)
    config = {"model_type": "PyTorch", "model_algorithm": "image_classification"}
    (torch_package / "config.json").write_text(json.dumps(config))
    problem = {
        "code": "INVALID_PACKAGE",
        "message": "customize_service.py is required for PyTorch models",
        "field": "path",
        "params": {
            "reason": "service_file",
            "file": "customize_service.py",
            "model_type": "PyTorch",
        },
    }
    code, found = await api("POST", "deployments", "inspect", body={"path": "torch"})
    assert (code, found["problems"]) == (200, [problem]), found
    code, answer = await api("POST", "deployments", body=deploy_body("torch", "torch"))
    assert (code, answer["error"]) == (400, problem)

    code, answer = await api("POST", "model-packages", body={"path": "iris"})
    assert (code, answer["error"]["code"]) == (400, "ALREADY_A_PACKAGE"), answer
    assert answer["error"]["params"] == {"name": "iris"}

    code, answer = await api("POST", "deployments", "abc", "resume")
    assert (code, answer["error"]["code"]) == (404, "NO_SUCH_OPERATION"), answer
