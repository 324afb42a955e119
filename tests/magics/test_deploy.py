"""Deploy a model folder from a cell, list it, call it: through the kernel's Jupyter server."""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

import pytest
from conftest import run_cell

sys.path.insert(0, str(Path(__file__).parents[1] / "server"))
from deploy_support import SETOSA, write_iris_package

DEADLINE_SECONDS = 30
IRIS_TRAINING = Path(__file__).parents[1] / "emulator" / "data" / "iris_training"


@pytest.fixture(scope="module")
def deployed(server_kernel, jupyter_server):
    """The iris package deployed once by ``%modelarts deploy``; the cell's output."""
    write_iris_package(jupyter_server.root_dir / "iris")
    return run_cell(server_kernel, "deployed = %modelarts deploy iris\ndeployed")


def test_deploy_shows_progress_and_the_running_service(deployed):
    assert deployed.error is None and not deployed.stderr, deployed
    progress = [b["text/plain"] for b in deployed.bundles if "modelarts-progress" in str(b)]
    assert progress[0].startswith("Deploy iris-svc [")
    assert len(set(progress)) > 2  # the bar moved through the steps
    assert progress[-1] == "Deploy iris-svc [" + "#" * 30 + "] 100% succeeded"
    shown = deployed.bundles[-1]["text/plain"]
    assert "Status         running" in shown
    assert "Service        iris-svc" in shown


def service_row(server_kernel) -> list[str]:
    listed = run_cell(server_kernel, "%modelarts services")
    return next(line for line in listed.text().splitlines() if line.startswith("iris-svc")).split()


def test_services_and_models_list_what_was_deployed(deployed, server_kernel):
    # The list comes from the server's shared watcher, which may still hold the state it saw
    # before the deployment finished (poll_interval_active): it catches up.
    deadline = time.monotonic() + DEADLINE_SECONDS
    while (row := service_row(server_kernel))[1] != "running":
        assert time.monotonic() < deadline, row
        time.sleep(0.2)
    assert row[:3] == ["iris-svc", "running", "real-time"]
    models = run_cell(server_kernel, "models = %modelarts models\nprint(models[0]['model_name'])")
    assert models.stdout == "iris\n"


def test_predict_answers_from_the_service(deployed, server_kernel):
    line = run_cell(server_kernel, f"%modelarts predict iris-svc '{json.dumps(SETOSA)}'")
    assert line.error is None and not line.stderr, line
    assert '"predictresult": "setosa"' in line.html()
    cell = run_cell(
        server_kernel,
        f"%%modelarts predict iris-svc\n{json.dumps(SETOSA)}\n",
    )
    assert '"predictresult": "setosa"' in cell.text()
    kept = run_cell(
        server_kernel,
        f"answer = %modelarts predict iris-svc '{json.dumps(SETOSA)}'\n"
        "print(answer['body']['data']['resp_data'])",
    )
    assert kept.stdout == "[{'predictresult': 'setosa'}]\n"


def test_a_refused_deployment_names_the_field(deployed, server_kernel):
    output = run_cell(server_kernel, "%modelarts deploy iris --version 1.0.0")
    assert output.error is None
    assert output.stderr.startswith("modelarts: ")
    assert "(field model_version)" in output.stderr
    assert output.stderr.count("\n") == 1


def test_predict_of_an_unknown_service_is_one_line(server_kernel):
    output = run_cell(server_kernel, "%modelarts predict nosuch-svc '{}'")
    assert output.error is None
    assert output.stderr.startswith("modelarts: NO_SUCH_SERVICE: ")
    assert output.stderr.count("\n") == 1


def test_a_path_outside_the_server_root_is_refused_in_the_kernel(server_kernel):
    output = run_cell(server_kernel, "%modelarts deploy /")
    assert output.stderr.startswith("modelarts: OUTSIDE_ROOT: / is outside the Jupyter server's")


def write_iris_training(folder: Path) -> None:
    """The iris training script (it writes a model package to its train_url) and its data."""
    from sklearn.datasets import load_iris

    shutil.copytree(IRIS_TRAINING, folder)
    iris = load_iris()
    rows = ["sl,sw,pl,pw,species"] + [
        ",".join([*map(str, row), str(iris.target_names[target])])
        for row, target in zip(iris.data, iris.target, strict=True)
    ]
    (folder / "data").mkdir()
    (folder / "data" / "iris.csv").write_text("\n".join(rows) + "\n")


def test_train_then_deploy_the_jobs_model_and_predict(server_kernel, jupyter_server):
    write_iris_training(jupyter_server.root_dir / "flowers")
    trained = run_cell(
        server_kernel,
        "%modelarts train flowers/train.py --name flowers --engine XGBoost-Sklearn --follow "
        "-- --max_depth 2",
    )
    assert trained.error is None and not trained.stderr, trained
    assert "max_depth=2" in trained.stdout and "model saved to" in trained.stdout
    assert "Status      completed" in trained.bundles[-1]["text/plain"]

    deployed = run_cell(server_kernel, "%modelarts deploy --job flowers --type Scikit_Learn")
    assert deployed.error is None and not deployed.stderr, deployed
    shown = deployed.bundles[-1]["text/plain"]
    assert "Service        flowers-svc" in shown and "Status         running" in shown

    answer = run_cell(
        server_kernel,
        f"answer = %modelarts predict flowers-svc '{json.dumps(SETOSA)}'\n"
        "print(answer['body']['data']['resp_data'])",
    )
    assert answer.stdout == "[{'predictresult': 'setosa'}]\n", answer


def test_deploy_from_a_job_needs_its_type(server_kernel):
    output = run_cell(server_kernel, "%modelarts deploy --job flowers")
    assert output.stderr == (
        "modelarts: USAGE: --job needs --type: the output is not inspected (field type)\n"
    )


def wait_for_service(server_kernel, name: str, status: str) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        listed = run_cell(server_kernel, "%modelarts services").text().splitlines()
        row = next((line.split() for line in listed if line.startswith(f"{name} ")), [])
        if row[1:2] == [status]:
            return
        assert time.monotonic() < deadline, row
        time.sleep(0.2)


def test_a_service_is_stopped_refuses_requests_starts_and_is_deleted(deployed, server_kernel):
    made = run_cell(server_kernel, "%modelarts deploy iris --version 2.0.0 --service iris-b")
    assert made.error is None and not made.stderr, made
    stopped = run_cell(server_kernel, "%modelarts services stop iris-b")
    assert stopped.error is None and not stopped.stderr, stopped
    assert stopped.text().startswith("Stop iris-b\n")
    wait_for_service(server_kernel, "iris-b", "stopped")
    refused = run_cell(server_kernel, "%modelarts predict iris-b '{}'")
    assert refused.stderr == (
        "modelarts: SERVICE_NOT_RUNNING: service iris-b is stopped: start it first"
        " (field service_id)\n"
    )
    run_cell(server_kernel, "%modelarts services start iris-b")
    wait_for_service(server_kernel, "iris-b", "running")
    deleted = run_cell(server_kernel, "%modelarts services delete iris-b")
    assert deleted.stdout == "deleted iris-b\n", deleted
