"""Inference servers load each supported package form and answer over HTTP on 127.0.0.1."""

import json
import sys
import urllib.error
import urllib.request

import joblib
import pytest
from sklearn.linear_model import LinearRegression

from jupyterlab_modelarts.emulator.runtime.inference import InferenceServer, ServerPhase
from jupyterlab_modelarts.emulator.runtime.model_package import inspect_package

DEADLINE = 60


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture
def serve(tmp_path):
    servers = []

    def start(location, model_type):
        server = InferenceServer(
            inspect_package(location, model_type),
            marker=f"service:{len(servers)}",
            python=sys.executable,
            obs_root=tmp_path,
            work_dir=tmp_path / f"serve{len(servers)}",
            on_update=lambda update: None,
        )
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        server.stop()


def post(server, data, content_type="application/json", headers=None):
    """POST to an inference server with the secret Local ModelArts would add (or `headers`)."""
    headers = server.headers if headers is None else headers
    request = urllib.request.Request(
        server.url, data=data, headers={**headers, "Content-Type": content_type}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_builtin_scikit_learn_service_for_a_bare_model_file(tmp_path, serve):
    folder = tmp_path / "linear" / "model"
    folder.mkdir(parents=True)
    joblib.dump(LinearRegression().fit([[0.0], [1.0]], [1.0, 3.0]), folder / "linear.m")
    server = serve(tmp_path / "linear", "Scikit_Learn")
    assert server.wait_ready(DEADLINE).phase is ServerPhase.READY, server.last_update.reason

    status, body = post(server, json.dumps({"data": {"req_data": [{"x": 2.0}]}}).encode())
    assert status == 200
    assert body["data"]["resp_data"][0]["predictresult"] == pytest.approx(5.0)

    status, body = post(server, b'{"data": {}}')
    assert status == 400
    assert "req_data" in body["error_msg"]

    # Another user of the machine reaches the port but not the model.
    for headers in ({}, {"X-Local-ModelArts-Secret": "guessed"}):
        assert post(server, b'{"data": {}}', headers=headers)[0] == 401
    assert server.healthy()


def test_predict_function_and_multipart_upload(tmp_path, serve):
    folder = tmp_path / "fn"
    folder.mkdir()
    (folder / "predict.py").write_text(
        "def predict(data):\n"
        "    if 'image' in data:\n"
        "        (name, handle), = data['image'].items()\n"
        "        return {'name': name, 'size': len(handle.read()), 'tag': data['tag']}\n"
        "    return {'sum': sum(data['values'])}\n"
    )
    server = serve(folder, "PyTorch")
    assert server.wait_ready(DEADLINE).phase is ServerPhase.READY, server.last_update.reason

    assert post(server, b'{"values": [1, 2, 3]}') == (200, {"sum": 6})
    boundary = "xyz"
    form = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n'
        f"Content-Type: image/png\r\n\r\n\x89PNG\r\n--{boundary}\r\n"
        f'Content-Disposition: form-data; name="tag"\r\n\r\ncat\r\n--{boundary}--\r\n'
    ).encode("latin-1")
    assert post(server, form, f"multipart/form-data; boundary={boundary}") == (
        200,
        {"name": "a.png", "size": 4, "tag": "cat"},
    )


def test_model_that_fails_to_load_reports_failed_with_its_error(tmp_path, serve):
    folder = tmp_path / "broken" / "model"
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(
        json.dumps({"model_type": "PyTorch", "model_algorithm": "image_classification"})
    )
    (folder / "net.pth").write_text("x")
    (folder / "customize_service.py").write_text(
        "from model_service.pytorch_model_service import PTServingBaseService\n"
        "class Net(PTServingBaseService):\n"
        "    def __init__(self, model_name, model_path):\n"
        "        raise RuntimeError('cannot load ' + model_path.rsplit('/', 1)[-1])\n"
    )
    server = serve(tmp_path / "broken", "PyTorch")
    update = server.wait_ready(DEADLINE)
    assert update.phase is ServerPhase.FAILED
    assert "cannot load net.pth" in update.reason


@pytest.mark.parametrize(
    ("service", "files", "reason"),
    [
        ("class A:\n    pass\n", {}, "no class derived from a model_service base"),
        ("def f(:\n", {}, "SyntaxError"),
        (
            "from model_service.pytorch_model_service import PTServingBaseService\n"
            "class Net(PTServingBaseService):\n    pass\n",
            {},
            "exactly one model file (.pth, .pt); found none",
        ),
        (
            "from model_service.model_service import SingleNodeService\n"
            "class A(SingleNodeService):\n    pass\n"
            "class B(SingleNodeService):\n    pass\n",
            {},
            "exactly one inference class (A, B)",
        ),
    ],
    ids=["no class", "syntax error", "no model file", "two classes"],
)
def test_inference_code_problems_fail_the_service_start(tmp_path, serve, service, files, reason):
    folder = tmp_path / "pkg" / "model"
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(
        json.dumps({"model_type": "PyTorch", "model_algorithm": "image_classification"})
    )
    (folder / "customize_service.py").write_text(service)
    update = serve(tmp_path / "pkg", "PyTorch").wait_ready(DEADLINE)
    assert update.phase is ServerPhase.FAILED
    assert reason in update.reason
