"""Workloads of Local ModelArts in a running Jupyter server, over its REST API: a deployed
service, a training job and a notebook instance (shared by the R8 and R9 tests)."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import httpx
import joblib
import psutil
from sklearn.linear_model import LinearRegression

DEADLINE_SECONDS = 90
IMAGE_ID = "e1a07296-22a8-4f05-8bc8-e936c8e54090"
LONG_SCRIPT = "import time\nprint('training', flush=True)\ntime.sleep(600)\n"


def poll(fetch, done, what: str, deadline: float = DEADLINE_SECONDS):
    end = time.monotonic() + deadline
    while True:
        value = fetch()
        if done(value):
            return value
        assert time.monotonic() < end, f"gave up waiting for {what}: {value}"
        time.sleep(0.2)


def write_model_package(folder: Path) -> None:
    model = folder / "model"
    model.mkdir(parents=True)
    joblib.dump(LinearRegression().fit([[0.0], [1.0]], [1.0, 3.0]), model / "linear.m")
    config = {"model_type": "Scikit_Learn", "model_algorithm": "predict_analysis"}
    (model / "config.json").write_text(json.dumps(config))


def listening_ports(processes: list[psutil.Process]) -> set[int]:
    ports = set()
    for process in processes:
        try:
            for connection in process.net_connections(kind="tcp"):
                if connection.status == psutil.CONN_LISTEN:
                    ports.add(connection.laddr.port)
        except psutil.Error:
            continue
    return ports


def answers(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def start_everything(api: httpx.Client, root: Path) -> str:
    """Deploy, train and start an instance, wait until all run; the instance's key."""
    write_model_package(root / "linear")
    deploy = {
        "path": "linear", "model_name": "linear", "model_version": "1.0.0",
        "model_type": "Scikit_Learn",
        "service": {"service_name": "linear-svc", "specification": "modelarts.vm.cpu.2u",
                    "instance_count": 1},
    }  # fmt: skip
    deployment = api.post("deployments", json=deploy)
    assert deployment.status_code == 202, deployment.text

    (root / "job").mkdir()
    (root / "job" / "train.py").write_text(LONG_SCRIPT)
    prefill = api.get("training/prefill", params={"path": "job/train.py"}).json()
    assert "path" in prefill, prefill
    launch = {key: prefill[key] for key in ("path", "job_name", "code_folder", "boot_file")}
    launched = api.post("training/jobs", json={**launch, "spec_id": 2, "engine_id": 31})
    assert launched.status_code == 202, launched.text

    notebook = {"name": "lifeline-nb", "description": "", "flavor": "modelarts.vm.cpu.2u",
                "image_id": IMAGE_ID, "duration": 3_600_000,
                "volume": {"category": "EVS", "ownership": "MANAGED", "capacity": 5}}  # fmt: skip
    created = api.post("instances", json={"api": "notebooks", "request": notebook})
    assert created.status_code == 201, created.text
    key = created.json()["key"]

    operation = deployment.json()["id"]
    done = poll(lambda: api.get(f"operations/{operation}").json(),
                lambda r: r["state"] != "running", "the deployment")  # fmt: skip
    assert done["state"] == "succeeded", done
    poll(lambda: api.get(f"instances/{key}").json()["status"],
         lambda status: status == "RUNNING", "the notebook instance")  # fmt: skip
    job = poll(lambda: api.get(f"operations/{launched.json()['id']}").json(),
               lambda r: r["state"] != "running", "the launch")["result"]  # fmt: skip
    version = f"training/jobs/{job['job_id']}/versions/{job['version_id']}"
    poll(lambda: api.get(version).json().get("status_name"),
         lambda status: status == "running", "the job to run")  # fmt: skip
    return str(key)
