"""%modelarts train, jobs, logs and stop on an account that trains through v2: the server's
Local ModelArts plays Huawei Cloud (v2 training only)."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import SCRIPT, run_cell

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


def test_stop_a_running_v2_job(server_kernel, jupyter_server):
    (jupyter_server.root_dir / "jobs").mkdir(exist_ok=True)
    (jupyter_server.root_dir / "jobs" / "slow.py").write_text(SLOW)
    started = run_cell(server_kernel, "%modelarts train jobs/slow.py --engine XGBoost-Sklearn")
    assert started.error is None and not started.stderr, started
    stopped = run_cell(server_kernel, "%modelarts stop slow")
    assert stopped.error is None, stopped
    shown = stopped.bundles[-1]["text/plain"]
    assert "terminating" in shown or "terminated" in shown
