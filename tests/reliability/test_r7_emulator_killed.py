"""R7: Local ModelArts SIGKILLed while a job trains and a service deploys. After a restart on the
same data dir the state is consistent: nothing says running without a process, what was running
is failed with a reason, and no process of the dead emulator is left (its children's lifeline
ends them, and the restart ends any it missed)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import joblib
from emulator_leftovers import leftovers
from obs import ObsClient
from sklearn.linear_model import LinearRegression

from jupyterlab_modelarts.emulator import config as defaults

DEADLINE = 60
TRAINING_RUNNING = 8
TRAINING_FAILED = 11


def start_emulator(data_dir: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab_modelarts.emulator",
            "--port",
            "0",
            "--data-dir",
            str(data_dir),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "HOME": str(data_dir.parent)},
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def api_client(base_url: str) -> httpx.Client:
    scope = {"project": {"id": defaults.DEFAULT_PROJECT_ID}}
    password = {
        "user": {
            "name": defaults.DEFAULT_IAM_USER,
            "password": defaults.DEFAULT_IAM_PASSWORD,
            "domain": {"name": defaults.DEFAULT_IAM_DOMAIN},
        }
    }
    answer = httpx.post(
        f"{base_url}/v3/auth/tokens",
        json={
            "auth": {"identity": {"methods": ["password"], "password": password}, "scope": scope}
        },
    )
    answer.raise_for_status()
    return httpx.Client(
        base_url=f"{base_url}/v1/{defaults.DEFAULT_PROJECT_ID}",
        headers={"X-Auth-Token": answer.headers["X-Subject-Token"]},
        timeout=30,
    )


def poll(fetch, done):
    deadline = time.monotonic() + DEADLINE
    while True:
        value = fetch()
        if done(value):
            return value
        assert time.monotonic() < deadline, f"never reached the wanted state: {value}"
        time.sleep(0.1)


def put_objects(base_url: str, tmp_path: Path) -> None:
    client = ObsClient(defaults.DEFAULT_ACCESS_KEY, defaults.DEFAULT_SECRET_KEY, server=base_url)
    assert client.createBucket("work").status < 300
    boot = b"import time\nprint('training', flush=True)\ntime.sleep(600)\n"
    assert client.putContent("work", "code/boot.py", boot).status < 300
    joblib.dump(LinearRegression().fit([[0.0], [1.0]], [1.0, 3.0]), tmp_path / "linear.m")
    assert client.putFile("work", "linear/model/linear.m", str(tmp_path / "linear.m")).status < 300
    config = json.dumps({"model_type": "Scikit_Learn", "model_algorithm": "predict_analysis"})
    assert client.putContent("work", "linear/model/config.json", config).status < 300
    client.close()


def test_a_killed_emulator_comes_back_consistent(tmp_path, report):
    data_dir = tmp_path / "data"
    emulator, base_url = start_emulator(data_dir)
    try:
        put_objects(base_url, tmp_path)
        with api_client(base_url) as api:
            job = api.post(
                "/training-jobs",
                json={
                    "job_name": "sleeper",
                    "config": {
                        "worker_server_num": 1,
                        "app_url": "/work/code/",
                        "boot_file_url": "/work/code/boot.py",
                        "data_url": "/work/",
                        "spec_id": 2,
                        "train_url": "/work/out/",
                    },
                },
            ).json()
            version_path = f"/training-jobs/{job['job_id']}/versions/{job['version_id']}"
            poll(lambda: api.get(version_path).json()["status"], lambda s: s == TRAINING_RUNNING)
            model_id = api.post(
                "/models",
                json={
                    "model_name": "linear",
                    "model_version": "1.0.0",
                    "source_location": "/work/linear/",
                    "model_type": "Scikit_Learn",
                },
            ).json()["model_id"]
            poll(
                lambda: api.get(f"/models/{model_id}").json()["model_status"],
                lambda s: s == "published",
            )
            service_id = api.post(
                "/services",
                json={
                    "service_name": "linear-svc",
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
            ).json()["service_id"]
            poll(
                lambda: api.get(f"/services/{service_id}").json()["status"],
                lambda s: s in ("deploying", "running"),
            )
            # The trainer and the model server run when the kill comes.
            running = poll(lambda: leftovers(data_dir), lambda found: len(found) >= 2)
    finally:
        emulator.send_signal(signal.SIGKILL)
        emulator.wait()
    # Their lifeline may end them as soon as the emulator's pipe closes, or not yet: the restart
    # must find the state consistent and leave none running either way.
    report(f"R7: emulator killed with {len(running)} child processes running")

    emulator, base_url = start_emulator(data_dir)
    try:
        poll(lambda: leftovers(data_dir), lambda found: not found)
        with api_client(base_url) as api:
            version = api.get(version_path).json()
            assert version["status"] == TRAINING_FAILED
            assert version["failed_reason"]
            service = api.get(f"/services/{service_id}").json()
            assert service["status"] == "failed"
            assert service["error_msg"]
            assert api.get(f"/models/{model_id}").json()["model_status"] == "published"
    finally:
        emulator.terminate()
        emulator.wait(timeout=30)
        for process in leftovers(data_dir):  # only if the test failed: never leave them running
            process.kill()
    report("R7: after restart: job failed with a reason, service failed with a reason, 0 leftovers")
