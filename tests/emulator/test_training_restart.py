"""A restart keeps the state: versions and services whose processes died with (or outlived)
the previous emulator are failed with a reason, and leftover processes are killed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from jupyterlab_modelarts.emulator import auth
from jupyterlab_modelarts.emulator.app import STATE_FILE
from jupyterlab_modelarts.emulator.background import BackgroundEmulator
from jupyterlab_modelarts.emulator.config import EmulatorConfig
from jupyterlab_modelarts.emulator.runtime.processes import MARKER_ENV
from jupyterlab_modelarts.emulator.store import Store

DEADLINE = 30


def client(emulator: BackgroundEmulator) -> httpx.Client:
    token, _ = auth.issue_token(emulator.ctx, methods=["password"])
    return httpx.Client(
        base_url=f"{emulator.base_url}/v1/{emulator.config.project_id}",
        headers={"X-Auth-Token": token},
        timeout=30,
    )


def orphan(marker: str) -> subprocess.Popen[bytes]:
    """A process that a crashed emulator would have left behind."""
    return subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(600)"],
        env={**os.environ, MARKER_ENV: marker},
        start_new_session=True,
    )


def gone(process: subprocess.Popen[bytes]) -> bool:
    try:
        process.wait(timeout=DEADLINE)
    except subprocess.TimeoutExpired:
        return False
    return True


def test_running_job_is_failed_by_a_clean_stop(tmp_path: Path) -> None:
    config = EmulatorConfig(data_dir=tmp_path / "data")
    with BackgroundEmulator(config) as emulator:
        emulator.ctx.obs.create_bucket("demo")
        emulator.ctx.obs.write("obs://demo/code/boot.py", b"import time\ntime.sleep(600)\n")
        with client(emulator) as api:
            created = api.post(
                "/training-jobs",
                json={
                    "job_name": "sleeper",
                    "config": {
                        "worker_server_num": 1,
                        "app_url": "/demo/code/",
                        "boot_file_url": "/demo/code/boot.py",
                        "data_url": "/demo/",
                        "spec_id": 2,
                        "train_url": "/demo/out/",
                    },
                },
            ).json()
            path = f"/training-jobs/{created['job_id']}/versions/{created['version_id']}"
            deadline = time.monotonic() + DEADLINE
            while api.get(path).json()["status"] != 8 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert api.get(path).json()["status"] == 8
    with BackgroundEmulator(config) as emulator, client(emulator) as api:
        version = api.get(path).json()
        assert version["status"] == 11
        assert version["failed_reason"] == "Local ModelArts stopped while this job was running"


def test_crash_leftovers_are_killed_and_failed(tmp_path: Path) -> None:
    config = EmulatorConfig(data_dir=tmp_path / "data")
    with BackgroundEmulator(config) as emulator:
        emulator.ctx.obs.create_bucket("demo")
        emulator.ctx.obs.write("obs://demo/code/boot.py", b"print('done')\n")
        with client(emulator) as api:
            created = api.post(
                "/training-jobs",
                json={
                    "job_name": "crashed",
                    "config": {
                        "worker_server_num": 1,
                        "app_url": "/demo/code/",
                        "boot_file_url": "/demo/code/boot.py",
                        "data_url": "/demo/",
                        "spec_id": 2,
                        "train_url": "/demo/out/",
                    },
                },
            ).json()
    job_id, version_id = str(created["job_id"]), str(created["version_id"])
    training_orphan = orphan(f"training:{job_id}:{version_id}")
    service_orphan = orphan("service:s1:m1:0")
    bystander = orphan("something-else")
    store = Store(config.data_dir / STATE_FILE)
    version = store.get("training_versions", version_id)
    store.put(
        "training_versions",
        version_id,
        {**version, "status": 8, "pid": training_orphan.pid},
        parent=job_id,
    )
    store.put(
        "services",
        "s1",
        {
            "service_id": "s1",
            "service_name": "crashed-service",
            "status": "running",
            "config": [],
            "events": [],
            "update_logs": [],
            "pids": {"service:s1:m1:0": service_orphan.pid},
        },
        name="crashed-service",
    )
    store.close()
    try:
        with BackgroundEmulator(config) as emulator, client(emulator) as api:
            assert gone(training_orphan) and gone(service_orphan)
            assert bystander.poll() is None
            version = api.get(f"/training-jobs/{job_id}/versions/{version_id}").json()
            assert version["status"] == 11
            service = api.get("/services/s1").json()
            assert service["status"] == "failed"
            assert "start it again" in service["error_msg"]
    finally:
        bystander.kill()
        bystander.wait()
