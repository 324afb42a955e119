"""A training script really runs through the runner and its model really serves predictions."""

import json
import os
import shutil
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest
from sklearn.datasets import load_iris

from jupyterlab_modelarts.emulator.runtime import logs
from jupyterlab_modelarts.emulator.runtime.inference import InferenceServer, ServerPhase
from jupyterlab_modelarts.emulator.runtime.model_package import Entry, inspect_package
from jupyterlab_modelarts.emulator.runtime.training_runner import (
    RunPhase,
    TrainingRequest,
    TrainingRun,
)

DATA = Path(__file__).parent / "data"
DEADLINE = 60


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture
def obs_root(tmp_path):
    root = tmp_path / "obs"
    (root / "demo").mkdir(parents=True)
    shutil.copytree(DATA / "iris_training", root / "demo" / "code" / "iris")
    iris = load_iris()
    data = root / "demo" / "data"
    data.mkdir()
    lines = ["sl,sw,pl,pw,species"] + [
        ",".join([*map(str, row), str(iris.target_names[target])])
        for row, target in zip(iris.data, iris.target, strict=True)
    ]
    (data / "iris.csv").write_text("\n".join(lines) + "\n")
    return root


def make_request(obs_root, tmp_path, **changes):
    fields = {
        "marker": "training:1:1",
        "job_id": "1",
        "job_name": "iris-job",
        "app_url": "/demo/code/iris/",
        "boot_file_url": "/demo/code/iris/train.py",
        "train_url": "obs://demo/output/",
        "data_url": "/demo/data/",
        "log_url": "/demo/logs/",
        "parameters": [("max_depth", "4")],
        "python": sys.executable,
        "obs_root": obs_root,
        "work_dir": tmp_path / "work",
    }
    fields.update(changes)
    return TrainingRequest(**fields)


def run_to_end(request):
    updates = []
    run = TrainingRun(request, updates.append)
    run.start()
    final = run.wait(DEADLINE)
    assert final.phase.finished, f"still {final.phase} after {DEADLINE}s"
    return final, updates


def predict(server, body):
    """POST to the inference server as Local ModelArts does, with the server's secret."""
    request = urllib.request.Request(
        server.url,
        data=json.dumps(body).encode(),
        headers={**server.headers, "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_trained_model_is_served_and_predicts(obs_root, tmp_path):
    final, updates = run_to_end(make_request(obs_root, tmp_path))

    log = (tmp_path / "work" / "log" / "iris-job.0").read_text()
    assert final.phase is RunPhase.SUCCEEDED, log
    assert [u.phase for u in updates] == [RunPhase.PREPARING, RunPhase.RUNNING, RunPhase.SUCCEEDED]
    # The documented arguments, with OBS locations in the s3:// form ModelArts passes.
    assert "data_url=s3://demo/data/ train_url=s3://demo/output/ max_depth=4" in log
    assert (obs_root / "demo" / "logs" / "iris-job.0").read_text() == log
    model_dir = obs_root / "demo" / "output" / "model"
    assert sorted(p.name for p in model_dir.iterdir()) == [
        "config.json",
        "customize_service.py",
        "iris.m",
    ]

    package = inspect_package(obs_root / "demo" / "output", "Scikit_Learn")
    assert package.entry is Entry.CUSTOMIZE_SERVICE
    server = InferenceServer(
        package,
        marker="service:test",
        python=sys.executable,
        obs_root=obs_root,
        work_dir=tmp_path / "serve",
        on_update=lambda update: None,
    )
    server.start()
    try:
        ready = server.wait_ready(DEADLINE)
        assert ready.phase is ServerPhase.READY, ready.reason
        assert server.healthy()
        answer = predict(
            server,
            {
                "meta": {"uuid": "42"},
                "data": {
                    "req_data": [
                        {"sl": 5.1, "sw": 3.5, "pl": 1.4, "pw": 0.2},
                        {"sl": 6.7, "sw": 3.0, "pl": 5.2, "pw": 2.3},
                    ]
                },
            },
        )
        assert answer == {
            "meta": {"uuid": "42"},
            "data": {"resp_data": [{"predictresult": "setosa"}, {"predictresult": "virginica"}]},
        }
    finally:
        server.stop()
    assert server.wait_ready(DEADLINE).phase is ServerPhase.STOPPED
    assert not server.healthy()


def test_failing_script_fails_with_the_log_tail(obs_root, tmp_path):
    code = obs_root / "demo" / "code" / "broken"
    code.mkdir()
    (code / "boot.py").write_text("import sys\nprint('loading')\nsys.exit('no data here')\n")
    final, _ = run_to_end(
        make_request(
            obs_root,
            tmp_path,
            app_url="/demo/code/broken/",
            boot_file_url="/demo/code/broken/boot.py",
        )
    )
    assert final.phase is RunPhase.FAILED
    assert final.exit_code == 1
    assert "no data here" in final.reason


def test_missing_boot_file_fails_before_running(obs_root, tmp_path):
    final, updates = run_to_end(
        make_request(obs_root, tmp_path, boot_file_url="/demo/code/iris/absent.py")
    )
    assert final.phase is RunPhase.FAILED
    assert "absent.py does not exist" in final.reason
    assert RunPhase.RUNNING not in [u.phase for u in updates]
    assert "absent.py does not exist" in logs.tail(tmp_path / "work" / "log" / "iris-job.0")


def test_unmet_pip_requirements_fail_the_job(obs_root, tmp_path):
    (obs_root / "demo" / "code" / "iris" / "pip-requirements.txt").write_text(
        "scikit-learn>=0\nno-such-package-for-local-modelarts==1.0\n"
    )
    final, _ = run_to_end(make_request(obs_root, tmp_path))
    assert final.phase is RunPhase.FAILED
    assert "no-such-package-for-local-modelarts is not installed" in final.reason


def test_stop_kills_the_whole_process_group(obs_root, tmp_path):
    code = obs_root / "demo" / "code" / "sleeper"
    code.mkdir()
    (code / "boot.py").write_text(
        "import subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
        "print('child', child.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    request = make_request(
        obs_root,
        tmp_path,
        app_url="/demo/code/sleeper/",
        boot_file_url="/demo/code/sleeper/boot.py",
    )
    run = TrainingRun(request, lambda update: None)
    run.start()
    deadline = time.monotonic() + DEADLINE
    child_pid = None
    while child_pid is None and time.monotonic() < deadline:
        for line in logs.read_lines(request.log_path, "", 10, "desc").content.splitlines():
            if line.startswith("child "):
                child_pid = int(line.split()[1])
        time.sleep(0.05)
    assert child_pid is not None

    run.stop()
    final = run.wait(DEADLINE)
    assert final.phase is RunPhase.STOPPED
    child_deadline = time.monotonic() + 10
    while psutil.pid_exists(child_pid) and time.monotonic() < child_deadline:
        if psutil.Process(child_pid).status() == psutil.STATUS_ZOMBIE:
            break
        time.sleep(0.05)
    assert not psutil.pid_exists(child_pid) or (
        psutil.Process(child_pid).status() == psutil.STATUS_ZOMBIE
    )


def test_job_sees_the_cloud_environment(obs_root, tmp_path):
    code = obs_root / "demo" / "code" / "env"
    code.mkdir()
    (code / "boot.py").write_text(
        "import json, os, sys\n"
        "keys = ['DLS_TASK_INDEX', 'DLS_TRAIN_URL', 'DLS_DATA_URL', 'DLS_JOB_ID']\n"
        "print(json.dumps({'env': {k: os.environ[k] for k in keys}, 'argv': sys.argv[1:],"
        " 'cwd': os.getcwd()}))\n"
    )
    final, _ = run_to_end(
        make_request(
            obs_root,
            tmp_path,
            app_url="/demo/code/env/",
            boot_file_url="/demo/code/env/boot.py",
            parameters=[("lr", "0.01"), ("epochs", "3")],
        )
    )
    assert final.phase is RunPhase.SUCCEEDED
    seen = json.loads((tmp_path / "work" / "log" / "iris-job.0").read_text())
    assert seen["argv"] == [
        "--data_url=s3://demo/data/",
        "--train_url=s3://demo/output/",
        "--lr=0.01",
        "--epochs=3",
    ]
    assert seen["env"] == {
        "DLS_TASK_INDEX": "0",
        "DLS_TRAIN_URL": "s3://demo/output/",
        "DLS_DATA_URL": "s3://demo/data/",
        "DLS_JOB_ID": "1",
    }
    assert os.path.samefile(seen["cwd"], tmp_path / "work" / "worker-0" / "user-job-dir")


@pytest.mark.skipif(os.path.isdir("/cache"), reason="this machine has a real /cache")
def test_cache_is_the_jobs_scratch_folder(obs_root, tmp_path):
    code = obs_root / "demo" / "code" / "cache"
    code.mkdir()
    (code / "boot.py").write_text(
        "import os, moxing as mox\n"
        "mox.file.copy_parallel('s3://demo/data/', '/cache/data')\n"
        "with open('/cache/data/iris.csv') as f:\n"
        "    header = f.readline().strip()\n"
        "os.makedirs('/cache/out', exist_ok=True)\n"
        "with open('/cache/out/header.txt', 'w') as f:\n"
        "    f.write(header)\n"
        "mox.file.copy('/cache/out/header.txt', 's3://demo/output/header.txt')\n"
    )
    final, _ = run_to_end(
        make_request(
            obs_root,
            tmp_path,
            app_url="/demo/code/cache/",
            boot_file_url="/demo/code/cache/boot.py",
        )
    )
    assert final.phase is RunPhase.SUCCEEDED, final.reason
    assert (obs_root / "demo" / "output" / "header.txt").read_text() == "sl,sw,pl,pw,species"
    assert (tmp_path / "work" / "worker-0" / "cache" / "data" / "iris.csv").exists()
    assert not os.path.exists("/cache")
