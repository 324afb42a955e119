"""The standalone Local ModelArts: started as a subprocess, called with signed requests, stopped
by PID, restarted on the same data dir."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from obs import ObsClient

from jupyterlab_modelarts.cloud.signing import SdkHmacSigner

AK, SK = "CLITESTAK00000000001", "cli-test-secret"
PASSWORD = "cli-password"


def _start(data_dir: Path, home: Path) -> tuple[subprocess.Popen[str], str]:
    command = [
        sys.executable,
        "-m",
        "jupyterlab_modelarts.emulator",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--data-dir",
        str(data_dir),
        "--access-key",
        AK,
        "--secret-key",
        SK,
        "--iam-password",
        PASSWORD,
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "HOME": str(home)},
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.2)
        if ready:
            return process, process.stdout.readline().strip()
        assert process.poll() is None, "the emulator exited before printing its URL"
    process.kill()
    raise AssertionError("no base URL printed within 30 s")


def _stop(process: subprocess.Popen[str]) -> int:
    os.kill(process.pid, signal.SIGTERM)
    return process.wait(timeout=20)


def _token(base_url: str) -> str:
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {
                        "name": "local-user",
                        "password": PASSWORD,
                        "domain": {"name": "local-domain"},
                    }
                },
            },
            "scope": {"project": {"name": "cn-north-4"}},
        }
    }
    response = httpx.post(f"{base_url}/v3/auth/tokens", json=body)
    assert response.status_code == 201
    return response.headers["X-Subject-Token"]


def test_cli_serves_signed_requests_and_keeps_state_across_restarts(tmp_path, private_home):
    data_dir, home = tmp_path / "data", private_home
    process, base_url = _start(data_dir, home)
    try:
        assert base_url.startswith("http://127.0.0.1:")
        assert process.stdout is not None
        signed = SdkHmacSigner(AK, SK).sign(
            "GET", f"{base_url}/v3/projects?name=cn-north-4", {"Content-Type": "application/json"}
        )
        projects = httpx.get(signed.url, headers=signed.headers)
        assert projects.status_code == 200
        assert projects.json()["projects"][0]["name"] == "cn-north-4"
        token = _token(base_url)
        client = ObsClient(access_key_id=AK, secret_access_key=SK, server=base_url)
        assert client.createBucket("cli-bucket").status == 200
        assert client.putContent("cli-bucket", "kept.txt", "still here").status == 200
        client.close()
    finally:
        assert _stop(process) == 0
    assert process.stdout.read() == ""  # exactly one line was printed

    process, base_url = _start(data_dir, home)
    try:
        by_token = httpx.get(f"{base_url}/v3/projects", headers={"X-Auth-Token": token})
        assert by_token.status_code == 200
        client = ObsClient(access_key_id=AK, secret_access_key=SK, server=base_url)
        got = client.getObject("cli-bucket", "kept.txt", loadStreamInMemory=True)
        assert got.body.buffer == b"still here"
        client.close()
    finally:
        assert _stop(process) == 0


def test_cli_rejects_a_malformed_project_id(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "jupyterlab_modelarts.emulator",
            "--project-id",
            "nothex",
            "--data-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert result.returncode == 2
    assert "project_id must be 32 lowercase hexadecimal characters" in result.stderr
