"""What every process Local ModelArts starts inherits (an allow-list of the server's
environment, no secret) and that none outlives the server that started it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import psutil

from jupyterlab_modelarts.emulator.runtime import processes

DEADLINE_SECONDS = 30


def wait_until(check, what: str):
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not (found := check()):
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)
    return found


def test_a_child_sees_the_allow_list_and_its_own_variables_only(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "hub-token-canary")
    monkeypatch.setenv("PROD_SK", "admin-managed-secret-canary")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    monkeypatch.setenv("https_proxy", "http://proxy.example:3128")
    env = processes.child_environment([tmp_path], {"DLS_JOB_ID": "7"})
    log = tmp_path / "env.log"
    child = processes.spawn_group(
        [sys.executable, "-c", "import json, os; print(json.dumps(dict(os.environ)))"],
        cwd=tmp_path,
        env=env,
        log_path=log,
        marker="test:env",
    )
    assert child.wait(DEADLINE_SECONDS) == 0
    seen = json.loads(log.read_text())
    assert "JUPYTERHUB_API_TOKEN" not in seen and "PROD_SK" not in seen
    assert (seen["LC_ALL"], seen["https_proxy"], seen["DLS_JOB_ID"]) == (
        "C.UTF-8", "http://proxy.example:3128", "7",
    )  # fmt: skip
    assert seen["PATH"] == os.environ["PATH"] and seen["HOME"] == os.environ["HOME"]
    assert seen["PYTHONPATH"].split(os.pathsep)[0] == str(tmp_path)


def test_a_child_reports_the_exit_of_its_command(tmp_path):
    env = processes.child_environment([], {})
    failing = processes.spawn_group(
        [sys.executable, "-c", "raise SystemExit(3)"],
        cwd=tmp_path, env=env, log_path=tmp_path / "a.log", marker="test:exit",
    )  # fmt: skip
    assert failing.wait(DEADLINE_SECONDS) == 3
    sleeping = processes.spawn_group(
        [sys.executable, "-c", "import time; time.sleep(600)"],
        cwd=tmp_path, env=env, log_path=tmp_path / "b.log", marker="test:stop",
    )  # fmt: skip
    processes.terminate_group(sleeping, grace_seconds=10)
    assert sleeping.wait(DEADLINE_SECONDS) == -signal.SIGTERM


SERVER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from jupyterlab_modelarts.emulator.runtime import processes

    folder = Path(sys.argv[1])
    grandchild = "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', " \\
        "'import time; time.sleep(600)']); time.sleep(600)"
    child = processes.spawn_group(
        [sys.executable, "-c", grandchild], cwd=folder,
        env=processes.child_environment([], {}), log_path=folder / "child.log",
        marker="test:lifeline",
    )
    print(child.pid, flush=True)
    time.sleep(600)
    """
)


def test_children_end_when_the_server_is_killed(tmp_path):
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        leader = psutil.Process(int(server.stdout.readline()))

        # the lifeline, its command and the command's own child
        def started():
            family = [leader, *leader.children(recursive=True)]
            return family if len(family) >= 3 else None

        # the lifeline, its command and the command's own child
        family = wait_until(started, "the command and its child")
        server.send_signal(signal.SIGKILL)
        server.wait()
        wait_until(
            lambda: not any(p.is_running() and p.status() != "zombie" for p in family),
            "the children to end after the server was killed",
        )
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
