"""%modelarts train, jobs, logs, job-events, job-metrics, describe, stop, deploy --job and
delete-job on an account that trains through v2: the server's Local ModelArts plays Huawei Cloud
(v2 training only)."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import SCRIPT, run_cell
from test_deploy import write_iris_training

SLOW = "import time\nprint('sleeping', flush=True)\ntime.sleep(600)\n"


@pytest.fixture(scope="module")
def extension_config() -> dict[str, Any]:
    return {
        "local_modules": {
            "instances": {"runtime": "simulated"},
            "training": {"plays": "huaweicloud"},
        },
        "local_speed": 50.0,
    }


def test_train_follow_jobs_and_logs_on_v2(server_kernel, jupyter_server):
    (jupyter_server.root_dir / "v2job").mkdir()
    (jupyter_server.root_dir / "v2job" / "train.py").write_text(SCRIPT)
    trained = run_cell(
        server_kernel,
        "%modelarts train v2job/train.py --engine XGBoost-Sklearn --follow -- --epochs 2",
    )
    assert trained.error is None and not trained.stderr, trained
    assert "epoch 1 loss 0.500\ntraining finished" in trained.stdout
    assert "Status      completed" in trained.bundles[-1]["text/plain"]

    listed = run_cell(server_kernel, "%modelarts jobs")
    row = next(line for line in listed.text().splitlines() if line.startswith("train "))
    assert "completed" in row.split()
    again = run_cell(server_kernel, "%modelarts logs train")
    assert "training finished" in again.stdout

    events = run_cell(server_kernel, "%modelarts job-events train").text()
    assert "Job created" in events and "Job completed" in events
    assert events.index("Job created") < events.index("Job running") < events.index("Job completed")
    usage = run_cell(server_kernel, "%modelarts job-metrics train").text()
    assert "worker-0" in usage and "cpuUsage" in usage and "memUsage" in usage
    described = run_cell(server_kernel, "%modelarts describe train 'trained twice'")
    assert described.error is None and "described train" in described.stdout


def test_stop_a_running_v2_job(server_kernel, jupyter_server):
    (jupyter_server.root_dir / "jobs").mkdir(exist_ok=True)
    (jupyter_server.root_dir / "jobs" / "slow.py").write_text(SLOW)
    started = run_cell(server_kernel, "%modelarts train jobs/slow.py --engine XGBoost-Sklearn")
    assert started.error is None and not started.stderr, started
    stopped = run_cell(server_kernel, "%modelarts stop slow")
    assert stopped.error is None, stopped
    shown = stopped.bundles[-1]["text/plain"]
    assert "terminating" in shown or "terminated" in shown


def test_import_a_v2_jobs_output_as_a_model_then_delete_the_job(server_kernel, jupyter_server):
    write_iris_training(jupyter_server.root_dir / "petals")
    trained = run_cell(
        server_kernel,
        "%modelarts train petals/train.py --name petals --engine XGBoost-Sklearn --follow",
    )
    assert trained.error is None and not trained.stderr, trained
    assert "Status      completed" in trained.bundles[-1]["text/plain"]

    imported = run_cell(
        server_kernel, "%modelarts deploy --job petals --type Scikit_Learn --import-only"
    )
    assert imported.error is None and not imported.stderr, imported
    assert "Imported petals" in imported.text()
    assert "petals" in run_cell(server_kernel, "%modelarts models").text()

    deleted = run_cell(server_kernel, "%modelarts delete-job petals")
    assert deleted.stdout == "deleted petals and its versions\n", deleted
    listed = run_cell(server_kernel, "%modelarts jobs").text()
    assert not any(line.startswith("petals ") for line in listed.splitlines())


def test_what_only_v1_offers_is_refused_in_words_with_the_alternative(server_kernel):
    refused = run_cell(server_kernel, "%modelarts algorithms")
    assert refused.stderr.startswith(
        "modelarts: NOT_OFFERED: Built-in algorithms: part of the old training API (v1)"
    ), refused
    assert "train your own code from a file" in refused.stderr
    configs = run_cell(server_kernel, "%modelarts config mine")
    assert "Training job configurations: part of the old training API (v1)" in configs.stderr
