"""A job with several workers runs as one process per worker with the cloud's variables, and
fails, stops and logs per worker the way ModelArts does."""

from __future__ import annotations

import io
import json
import os
import signal
import sys
import time
from pathlib import Path

import psutil
import pytest
from sklearn.datasets import load_iris

from jupyterlab_modelarts.emulator.runtime.training_runner import (
    RunPhase,
    TrainingRequest,
    TrainingRun,
)
from jupyterlab_modelarts.emulator.runtime.workers import (
    Generation,
    JobPlace,
    cloud_host_name,
    cloud_name_problem,
    free_loopback_ports,
    log_name,
    worker_environment,
)

EXAMPLES = Path(__file__).parents[2] / "examples"
DEADLINE = 120
NO_TORCH = 'torch is not importable (pip install -e ".[distributed]")'

#: Every worker prints the variables a distributed script reads, as one JSON line.
SHOW_ENV = """
import json, os
names = sorted(k for k in os.environ if k.startswith(("DLS_", "BATCH_CUSTOM", "MA_", "VC_"))
    or k in ("MASTER_ADDR", "MASTER_PORT", "WORLD_SIZE", "RANK", "OMP_NUM_THREADS",
             "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS"))
print(json.dumps({"env": {k: os.environ[k] for k in names}, "cwd": os.getcwd()}))
"""

#: Plain-Python rendezvous: worker 0 listens on its BATCH_CUSTOM0_HOSTS port, every other worker
#: connects to it and sends its task index; worker 0 answers with the sum of all indexes.
SOCKET_RENDEZVOUS = """
import os, socket, sys, time
index, count = int(os.environ["DLS_TASK_INDEX"]), int(os.environ["DLS_TASK_NUMBER"])
host, port = os.environ["BATCH_CUSTOM0_HOSTS"].split(":")
mine = os.environ[f"BATCH_CUSTOM{index}_HOSTS"]
if index == 0:
    server = socket.create_server((host, int(port)))
    peers = [server.accept()[0] for _ in range(count - 1)]
    total = sum(int(p.recv(16)) for p in peers)
    for p in peers:
        p.sendall(str(total).encode())
    print(f"worker 0 heard {count - 1} peers, sum {total}")
else:
    deadline = time.monotonic() + 30
    while True:
        try:
            peer = socket.create_connection((host, int(port)))
            break
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                sys.exit("worker 0 never listened")
            time.sleep(0.05)
    peer.sendall(str(index).encode())
    print(f"worker {index} at {mine} got sum {peer.recv(16).decode()}")
"""

#: Worker 1 fails after the others are up; the others would run for ten minutes.
WORKER_ONE_FAILS = """
import os, sys, time
print("up", flush=True)
if os.environ["DLS_TASK_INDEX"] == "1":
    time.sleep(0.5)
    print("worker 1 gives up: out of patience", flush=True)
    sys.exit(7)
time.sleep(600)
"""


@pytest.fixture
def api(modelarts_local, project_api):
    obs = modelarts_local.obs
    obs.create_bucket("demo")
    iris = load_iris()
    rows = ["sl,sw,pl,pw,species"] + [
        ",".join([*map(str, row), str(iris.target_names[target])])
        for row, target in zip(iris.data, iris.target, strict=True)
    ]
    obs.write("obs://demo/data/iris.csv", ("\n".join(rows) + "\n").encode())
    obs.write("obs://demo/code/ddp/ddp_iris.py", (EXAMPLES / "ddp_iris.py").read_bytes())
    for name, script in (
        ("env", SHOW_ENV),
        ("rendezvous", SOCKET_RENDEZVOUS),
        ("fails", WORKER_ONE_FAILS),
        ("sleeps", "import time\nprint('up', flush=True)\ntime.sleep(600)\n"),
    ):
        obs.write(f"obs://demo/code/{name}/boot.py", script.encode())
    return project_api


def launch(api, name, code, boot, workers, parameters=()):
    body = {
        "job_name": name,
        "config": {
            "worker_server_num": workers,
            "app_url": f"/demo/code/{code}/",
            "boot_file_url": f"/demo/code/{code}/{boot}",
            "parameter": [{"label": k, "value": v} for k, v in parameters],
            "data_url": "/demo/data/",
            "spec_id": 3,
            "engine_id": 31,
            "train_url": f"/demo/out/{name}/",
            "log_url": f"/demo/logs/{name}/",
        },
    }
    created = api.post("/training-jobs", json=body)
    assert created.status_code == 200, created.text
    return created.json()["job_id"], created.json()["version_id"]


def wait_until(api, job_id, version_id, done):
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        version = api.get(f"/training-jobs/{job_id}/versions/{version_id}").json()
        if done(version):
            return version
        time.sleep(0.1)
    raise AssertionError(f"not reached: {version}")


def wait_status(api, job_id, version_id, wanted):
    return wait_until(api, job_id, version_id, lambda v: v["status"] in wanted)


def log_of(api, job_id, version_id, name):
    answer = api.get(
        f"/training-jobs/{job_id}/versions/{version_id}/aom-log",
        params={"log_file": name, "lines": 500},
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["content"])


def wait_log(api, job_id, version_id, name, text):
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        if text in log_of(api, job_id, version_id, name):
            return
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never in {name}: {log_of(api, job_id, version_id, name)}")


def worker_pids(modelarts_local, version_id):
    version = modelarts_local.store.get("training_versions", str(version_id))
    return list(version["pids"])


def test_v1_workers_get_every_variable_and_their_own_folder(api, modelarts_local):
    job_id, version_id = launch(api, "envjob", "env", "boot.py", 3)
    version = wait_status(api, job_id, version_id, {10, 11})
    assert version["status"] == 10, version.get("failed_reason")
    names = api.get(f"/training-jobs/{job_id}/versions/{version_id}/log/file-names").json()
    assert names["log_file_list"] == ["envjob.0", "envjob.1", "envjob.2"]
    seen = [json.loads(log_of(api, job_id, version_id, f"envjob.{i}")) for i in range(3)]
    hosts = {f"BATCH_CUSTOM{i}_HOSTS": seen[0]["env"][f"BATCH_CUSTOM{i}_HOSTS"] for i in range(3)}
    ports = {value.split(":")[1] for value in hosts.values()}
    assert len(ports) == 3 and all(v.startswith("127.0.0.1:") for v in hosts.values())
    threads = str(max(1, (os.cpu_count() or 1) // 3))
    for index, worker in enumerate(seen):
        assert worker["env"] == {
            "DLS_TASK_INDEX": str(index),
            "DLS_TASK_NUMBER": "3",
            "DLS_JOB_ID": str(job_id),
            "DLS_APP_URL": "s3://demo/code/env/",
            "DLS_DATA_URL": "s3://demo/data/",
            "DLS_TRAIN_URL": "s3://demo/out/envjob/",
            **hosts,
            "MA_NUM_HOSTS": "3",
            "VC_TASK_INDEX": str(index),
            "MA_JOB_DIR": worker["cwd"],
            "OMP_NUM_THREADS": threads,
            "MKL_NUM_THREADS": threads,
            "OPENBLAS_NUM_THREADS": threads,
            "NUMEXPR_NUM_THREADS": threads,
        }
    assert len({worker["cwd"] for worker in seen}) == 3
    assert [s["task"] for s in version["task_statuses"]] == ["worker-0", "worker-1", "worker-2"]
    assert {s["phase"] for s in version["task_statuses"]} == {"succeeded"}
    uploaded = modelarts_local.obs.list_keys("obs://demo/logs/envjob/")
    assert sorted(uploaded) == ["envjob.0", "envjob.1", "envjob.2"]


def test_v2_variables_name_the_same_loopback_rendezvous():
    place = JobPlace("42", "job", "/b/code/", None, "/b/out/", [("127.0.0.1", 5001)] * 2)
    env = worker_environment(Generation.V2, place, 1, job_dir="/w/1", log_dir="/w/log", cores=4)
    assert env == {
        "MA_NUM_HOSTS": "2",
        "VC_WORKER_NUM": "2",
        "VC_TASK_INDEX": "1",
        "VC_WORKER_HOSTS": "127.0.0.1,127.0.0.1",
        "MA_CURRENT_IP": "127.0.0.1",
        "MA_NUM_GPUS": "0",
        "MA_TASK_NAME": "worker",
        "MA_JOB_DIR": "/w/1",
        "MA_LOG_DIR": "/w/log",
        "MA_VJ_NAME": "modelarts-job-42.localhost",
        "MASTER_ADDR": "127.0.0.1",
        "MASTER_PORT": "5001",
        "WORLD_SIZE": "2",
        "RANK": "1",
        "OMP_NUM_THREADS": "2",
        "MKL_NUM_THREADS": "2",
        "OPENBLAS_NUM_THREADS": "2",
        "NUMEXPR_NUM_THREADS": "2",
    }
    vj = "modelarts-job-42.localhost"
    assert cloud_host_name("42", 0) == f"{vj}-worker-0.{vj}"
    assert log_name(Generation.V2, "42", "job", 1) == "modelarts-job-42-worker-1.log"
    assert len(set(free_loopback_ports(4))) == 4


def test_workers_meet_through_the_rendezvous_variables_with_plain_sockets(api):
    job_id, version_id = launch(api, "meet", "rendezvous", "boot.py", 3)
    version = wait_status(api, job_id, version_id, {10, 11})
    assert version["status"] == 10, version.get("failed_reason")
    assert "worker 0 heard 2 peers, sum 3" in log_of(api, job_id, version_id, "meet.0")
    for index in (1, 2):
        assert "got sum 3" in log_of(api, job_id, version_id, f"meet.{index}")


def test_first_failing_worker_fails_the_job_and_stops_the_others(api, modelarts_local):
    job_id, version_id = launch(api, "fails", "fails", "boot.py", 3)
    wait_status(api, job_id, version_id, {8, 11})
    pids = worker_pids(modelarts_local, version_id)
    assert len(pids) == 3
    version = wait_status(api, job_id, version_id, {11})
    assert version["failed_reason"].startswith("worker 1 (fails.1): exit code 7")
    assert "out of patience" in version["failed_reason"]
    phases = [s["phase"] for s in version["task_statuses"]]
    assert phases == ["stopped", "failed", "stopped"]
    assert not any(psutil.pid_exists(pid) and not is_zombie(pid) for pid in pids)


def test_stop_kills_every_worker(api, modelarts_local):
    job_id, version_id = launch(api, "stopall", "sleeps", "boot.py", 3)
    for index in range(3):
        wait_log(api, job_id, version_id, f"stopall.{index}", "up")
    pids = worker_pids(modelarts_local, version_id)
    api.post(f"/training-jobs/{job_id}/versions/{version_id}/stop")
    version = wait_status(api, job_id, version_id, {12})
    assert [s["phase"] for s in version["task_statuses"]] == ["stopped"] * 3
    assert all(not psutil.pid_exists(pid) or is_zombie(pid) for pid in pids)


def is_zombie(pid):
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_pytorch_ddp_job_trains_iris_on_two_workers(api, modelarts_local):
    torch = pytest.importorskip("torch", reason=NO_TORCH)
    job_id, version_id = launch(api, "ddp", "ddp", "ddp_iris.py", 2)
    version = wait_status(api, job_id, version_id, {10, 11})
    assert version["status"] == 10, version.get("failed_reason")
    for rank in (0, 1):
        log = log_of(api, job_id, version_id, f"ddp.{rank}")
        assert f"rank {rank} of 2 joined" in log
        assert "all_reduce sum = 3" in log
    obs = modelarts_local.obs
    saved = torch.load(io.BytesIO(obs.read("obs://demo/out/ddp/model/iris_ddp.pt")))
    model = torch.nn.Linear(4, 3)
    model.load_state_dict(saved["state_dict"])
    iris = load_iris()
    features = (torch.tensor(iris.data, dtype=torch.float32) - saved["mean"]) / saved["std"]
    accuracy = (model(features).argmax(1) == torch.tensor(iris.target)).float().mean().item()
    assert accuracy > 0.9
    ranks = [json.loads(obs.read(f"obs://demo/out/ddp/rank-{r}.json")) for r in (0, 1)]
    assert [r["rows"] for r in ranks] == [75, 75]


def test_pytorch_ddp_job_fails_when_a_worker_is_killed(api, modelarts_local):
    pytest.importorskip("torch", reason=NO_TORCH)
    job_id, version_id = launch(
        api, "ddpkill", "ddp", "ddp_iris.py", 2, [("epochs", "100000"), ("pause", "0.05")]
    )
    for rank in (0, 1):
        wait_log(api, job_id, version_id, f"ddpkill.{rank}", "all_reduce sum = 3")
    pids = worker_pids(modelarts_local, version_id)
    os.killpg(pids[1], signal.SIGKILL)
    version = wait_status(api, job_id, version_id, {10, 11})
    assert version["status"] == 11
    assert version["failed_reason"].startswith("worker 1 (ddpkill.1): exit code -9")
    assert [s["phase"] for s in version["task_statuses"]] == ["stopped", "failed"]
    assert not psutil.pid_exists(pids[0]) or is_zombie(pids[0])


#: A v2 script that meets worker 0 under its cloud DNS name, as some scripts build it.
CLOUD_NAMES = """
import os, socket, time
name = f"{os.environ['MA_VJ_NAME']}-{os.environ['MA_TASK_NAME']}-0.{os.environ['MA_VJ_NAME']}"
print("MASTER", os.environ["MASTER_ADDR"], os.environ["MASTER_PORT"], os.environ["RANK"],
      flush=True)
time.sleep(1)  # both workers have printed before either may fail
print("resolved", socket.gethostbyname(name))
"""


def test_v2_workers_and_the_cloud_dns_names_they_build(tmp_path):
    code = tmp_path / "obs" / "demo" / "code"
    code.mkdir(parents=True)
    (code / "boot.py").write_text(CLOUD_NAMES)
    request = TrainingRequest(
        marker="training:v2:1",
        job_id="7",
        job_name="names",
        app_url="/demo/code/",
        boot_file_url="/demo/code/boot.py",
        train_url="/demo/out/",
        data_url=None,
        log_url=None,
        parameters=[],
        python=sys.executable,
        obs_root=tmp_path / "obs",
        work_dir=tmp_path / "work",
        workers=2,
        generation=Generation.V2,
    )
    run = TrainingRun(request, lambda _: None)
    run.start()
    final = run.wait(DEADLINE)
    assert request.log_names() == ["modelarts-job-7-worker-0.log", "modelarts-job-7-worker-1.log"]
    logs = [request.worker_log_path(i).read_text() for i in (0, 1)]
    masters = [line.split() for log in logs for line in log.splitlines() if line[:6] == "MASTER"]
    assert [m[1] for m in masters] == ["127.0.0.1"] * 2 and [m[3] for m in masters] == ["0", "1"]
    assert masters[0][2] == masters[1][2]
    problem = cloud_name_problem("7")
    if problem is None:  # this machine's resolver answers *.localhost
        assert final.phase is RunPhase.SUCCEEDED and "resolved 127.0.0.1" in logs[0]
    else:
        assert final.phase is RunPhase.FAILED
        for log in logs:
            assert f"[Local ModelArts] {problem}" in log
            assert log.index("[Local ModelArts]") < log.index("MASTER")
