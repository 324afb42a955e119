"""Train from a file over REST, against the embedded Local ModelArts: real uploads to its OBS,
real training processes, real logs."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from jupyterlab_modelarts.emulator.faults import Fault

IRIS = Path(__file__).parents[1] / "emulator" / "data" / "iris_training"
DEADLINE = 60.0

SLOW_SCRIPT = """\
import argparse, time
parser = argparse.ArgumentParser()
parser.add_argument("--data_url")
parser.add_argument("--train_url")
parser.add_argument("--epochs", type=int, default=3, help="passes over the data")
parser.add_argument("--lr", default=0.01)
args, _ = parser.parse_known_args()
print(f"epochs={args.epochs} lr={args.lr}", flush=True)
for epoch in range(300):
    print(f"epoch {epoch}", flush=True)
    time.sleep(0.2)
"""

FAILING_SCRIPT = """\
import argparse
parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, default=0.5)
args, _ = parser.parse_known_args()
print("starting", flush=True)
raise ValueError(f"learning rate {args.lr} is too high")
"""


@pytest.fixture
def modelarts_config(tmp_path):
    return {
        "profiles_dir": str(tmp_path / "profiles"),
        "local_data_dir": str(tmp_path / "local"),
    }


@pytest.fixture
def api(jp_fetch):
    async def call(method: str, *path: str, body: object = None, **query: str):
        response = await jp_fetch(
            "modelarts",
            "api",
            "v1",
            *path,
            method=method,
            body=None if body is None else json.dumps(body),
            params=query or None,
            raise_error=False,
            allow_nonstandard_methods=True,
        )
        text = response.body.decode()
        try:
            return response.code, json.loads(text) if text else None
        except ValueError:
            return response.code, text

    return call


@pytest.fixture
def extension(jp_serverapp):
    return jp_serverapp.extension_manager.extension_apps["jupyterlab_modelarts"].pop()


async def poll(read: Any, done: Any, deadline: float = DEADLINE) -> Any:
    end = time.monotonic() + deadline
    while True:
        value = await read()
        if done(value):
            return value
        if time.monotonic() > end:
            raise AssertionError(f"gave up waiting; last answer: {value}")
        await asyncio.sleep(0.1)


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def iris_project(root: Path) -> None:
    from sklearn.datasets import load_iris

    shutil.copytree(IRIS, root / "iris")
    iris = load_iris()
    rows = ["sl,sw,pl,pw,species"] + [
        ",".join([*map(str, row), str(iris.target_names[target])])
        for row, target in zip(iris.data, iris.target, strict=True)
    ]
    write(root, "iris/data/iris.csv", "\n".join(rows) + "\n")
    write(root, "iris/.modelartsignore", "notes/\n*.tmp\n")
    write(root, "iris/notes/todo.md", "not for the job\n")
    write(root, "iris/scratch.tmp", "x" * 1000)


async def launch(api, path: str, **changes: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Prefill, submit as the dialog would, wait for the operation; (record, prefill)."""
    code, defaults = await api("GET", "training", "prefill", path=path)
    assert code == 200, defaults
    body = {
        key: defaults[key]
        for key in ("path", "job_name", "code_folder", "boot_file", "data", "train_url", "log_url")
    }
    body.update(spec_id=2, engine_id=31, parameters=defaults["parameters"])
    body.update(changes)
    code, record = await api("POST", "training", "jobs", body=body)
    assert code == 202, record

    async def read():
        return (await api("GET", "operations", record["id"]))[1]

    record = await poll(read, lambda r: r["state"] != "running")
    return record, defaults


async def wait_version(api, job_id: int, version_id: int, *statuses: str) -> dict[str, Any]:
    async def read():
        return (await api("GET", "training", "jobs", str(job_id), "versions", str(version_id)))[1]

    return await poll(read, lambda v: v.get("status_name") in statuses)


async def test_train_from_file_runs_to_completion_with_log_and_model_output(api, jp_root_dir):
    iris_project(jp_root_dir)
    record, defaults = await launch(api, "iris/train.py")

    assert defaults["job_name"] == "train"
    assert defaults["data"] == {"local_path": "iris/data"}
    # The iris script imports scikit-learn: the engine that runs it, not the first listed.
    assert defaults["engine"] == {"engine_id": 31, "framework": "scikit-learn",
                                  "module": "sklearn"}  # fmt: skip
    assert {"label": "max_depth", "value": "3", "help": ""} in defaults["parameters"]
    assert defaults["code"]["files"] == 2  # train.py, customize_service.py (hidden files stay)
    assert defaults["code"]["first_files"] == ["customize_service.py", "train.py"]
    assert {"notes/", ".modelartsignore"} <= set(defaults["code"]["ignored_examples"])
    assert record["state"] == "succeeded", record
    assert [s["state"] for s in record["steps"]] == [
        "succeeded", "succeeded", "succeeded", "succeeded", "skipped",
    ]  # fmt: skip
    job_id, version_id = record["result"]["job_id"], record["result"]["version_id"]

    version = await wait_version(api, job_id, version_id, "completed", "failed")
    assert version["status_name"] == "completed", version
    assert version["status"] == 10
    assert version["status_meaning"] == "The job has been completed."
    code, log = await api("GET", "training", "jobs", str(job_id), "versions", str(version_id),
                          "log", base_line="0")  # fmt: skip
    assert code == 200
    assert "training accuracy" in log["content"]
    code, output = await api(
        "GET", "training", "jobs", str(job_id), "versions", str(version_id), "output"
    )
    paths = {f["path"] for f in output["files"]}
    assert {"model/iris.m", "model/config.json", "model/customize_service.py"} <= paths
    code, jobs = await api("GET", "training", "jobs")
    listed = next(job for job in jobs["jobs"] if job["job_id"] == job_id)
    assert listed["job_name"] == "train"


async def test_failing_script_is_failed_with_the_reason_from_its_log(api, jp_root_dir):
    write(jp_root_dir, "broken/train.py", FAILING_SCRIPT)
    record, _defaults = await launch(api, "broken/train.py")
    assert record["state"] == "succeeded", record
    job_id, version_id = record["result"]["job_id"], record["result"]["version_id"]

    version = await wait_version(api, job_id, version_id, "completed", "failed")
    assert version["status_name"] == "failed"
    assert version["failure_reason"] == "ValueError: learning rate 0.5 is too high"


async def test_stop_while_running_then_a_new_version_with_changed_parameters(api, jp_root_dir):
    write(jp_root_dir, "slow/train.py", SLOW_SCRIPT)
    record, defaults = await launch(api, "slow/train.py")
    assert {"label": "epochs", "value": "3", "help": "passes over the data"} in defaults[
        "parameters"
    ]
    job_id, version_id = record["result"]["job_id"], record["result"]["version_id"]
    job = ("training", "jobs", str(job_id))
    await wait_version(api, job_id, version_id, "running")

    code, stopped = await api("POST", *job, "versions", str(version_id), "stop")
    assert code == 200, stopped
    version = await wait_version(api, job_id, version_id, "killed", "canceled")
    assert version["terminal"] is True
    code, again = await api("POST", *job, "versions", str(version_id), "stop")
    assert code == 409 and again["error"]["code"] == "NOT_STOPPABLE"
    assert again["error"]["params"] == {"status": version["status_name"]}

    code, created = await api(
        "POST", *job, "versions",
        body={"pre_version_id": version_id, "parameters": [{"label": "epochs", "value": "7"}]},
    )  # fmt: skip
    assert code == 201, created
    second = created["version_id"]

    async def log_of_second():
        return (await api("GET", *job, "versions", str(second), "log", base_line="0"))[1]

    log = await poll(log_of_second, lambda chunk: "epochs=" in chunk.get("content", ""))
    assert "epochs=7" in log["content"]
    await api("POST", *job, "versions", str(second), "stop")
    code, versions = await api("GET", *job)
    assert [v["version_id"] for v in versions["versions"]][:2] == [second, version_id] or {
        v["version_id"] for v in versions["versions"]
    } == {second, version_id}
    detail = next(v for v in versions["versions"] if v["version_id"] == second)
    assert detail["parameter"] == [{"label": "epochs", "value": "7"}]


@pytest.mark.parametrize(
    ("field", "value"),
    [("path", "../outside.py"), ("path", "/etc/hostname"), ("path", "link/train.py"),
     ("data.local_path", "../")],
)  # fmt: skip
async def test_a_path_outside_the_server_root_is_refused_and_nothing_is_sent(
    api, jp_root_dir, tmp_path, field, value
):
    outside = tmp_path / "outside"
    write(outside, "train.py", "print('secret place')\n")
    os.symlink(outside, jp_root_dir / "link")
    write(jp_root_dir, "ok/train.py", "print('hi')\n")
    body: dict[str, Any] = {"path": "ok/train.py", "job_name": "escape", "spec_id": 2,
                            "engine_id": 31, "data": {"obs_url": "/bucket/data/"}}  # fmt: skip
    if field == "path":
        body["path"] = value
    else:
        body["data"] = {"local_path": value}
    code, answer = await api("POST", "training", "jobs", body=body)
    assert code == 400, answer
    assert answer["error"]["code"] == "OUTSIDE_ROOT"
    assert answer["error"]["field"] == field
    assert (await api("GET", "operations", kind="training_launch"))[1]["operations"] == []
    assert (await api("GET", "training", "jobs"))[1]["jobs"] == []


async def test_bad_input_gets_field_errors_before_any_upload(api, jp_root_dir):
    write(jp_root_dir, "ok/train.py", "print('hi')\n")
    base = {"path": "ok/train.py", "job_name": "fine", "spec_id": 2, "engine_id": 31}
    cases = [
        ({"job_name": "bad name!"}, "job_name"),
        ({"spec_id": 999}, "spec_id"),
        ({"engine_id": 999}, "engine_id"),
        ({"worker_server_num": 3}, "worker_server_num"),  # spec 2 allows 2
        ({"parameters": [{"label": "a b", "value": "1"}]}, "parameters.0.label"),
        ({"train_url": "/bucket/no-slash"}, "train_url"),
        ({"boot_file": "missing.py"}, "boot_file"),
        ({"boot_file": "../ok/train.py"}, "boot_file"),
        ({"code_folder": "../"}, "code_folder"),
        ({"data": {"obs_url": "/b/d/", "local_path": "ok"}}, "data"),
    ]
    for change, field in cases:
        code, answer = await api("POST", "training", "jobs", body={**base, **change})
        assert code in (400, 404), (change, answer)
        assert answer["error"]["field"] == field, (change, answer)
    assert (await api("GET", "operations", kind="training_launch"))[1]["operations"] == []


async def test_a_refusal_names_its_reason_and_values_for_the_browser_to_word(api, jp_root_dir):
    write(jp_root_dir, "ok/train.py", "print('hi')\n")
    base = {"path": "ok/train.py", "job_name": "fine", "spec_id": 2, "engine_id": 31}
    code, answer = await api("POST", "training", "jobs", body={**base, "worker_server_num": 3})
    assert code == 400, answer
    error = answer["error"]
    assert (error["code"], error["params"]) == ("TOO_MANY_WORKERS", {"max_num": 2}), error
    assert error["message"] == "this spec allows at most 2 workers"  # what the magics print
    code, answer = await api("POST", "training", "jobs", body={**base, "spec_id": 999})
    assert (answer["error"]["code"], answer["error"]["params"]) == (
        "UNKNOWN_SPEC",
        {"spec_id": 999},
    ), answer


async def test_a_field_error_carries_its_code_and_limits_for_the_browser_to_word(api, jp_root_dir):
    write(jp_root_dir, "ok/train.py", "print('hi')\n")
    base = {"path": "ok/train.py", "job_name": "fine", "spec_id": 2, "engine_id": 31}
    code, answer = await api(
        "POST", "training", "jobs", body={**base, "parameters": [{"label": "a b", "value": "1"}]}
    )
    assert code == 400, answer
    error = answer["error"]
    assert (error["code"], error["field"]) == ("PATTERN_MISMATCH", "parameters.0.label"), error
    assert error["params"] == {"pattern": "^[A-Za-z0-9_.-]+$"}, error
    assert error["message"].startswith("parameters.0.label: String should match")  # the magics
    _, answer = await api("POST", "training", "jobs", body={**base, "path": ""})
    assert (answer["error"]["code"], answer["error"]["params"]) == ("TOO_SHORT", {"min_length": 1})
    del base["job_name"]
    _, answer = await api("POST", "training", "jobs", body=base)
    assert (answer["error"]["code"], answer["error"]["field"]) == ("FIELD_REQUIRED", "job_name")
    _, answer = await api("POST", "training", "jobs", body={**base, "job_name": "fine", "data": {}})
    error = answer["error"]
    assert (error["code"], error["field"], error["params"]) == (
        "GIVE_ONE_OF",
        "data",
        {"fields": ["obs_url", "local_path"]},
    ), error


async def test_a_path_refusal_carries_its_reason_for_the_browser_to_word(api, jp_root_dir):
    write(jp_root_dir, "ok/train.py", "print('hi')\n")
    base = {"job_name": "fine", "spec_id": 2, "engine_id": 31}
    for path, code, params in [
        ("../train.py", "OUTSIDE_ROOT", {"reason": "parent"}),
        ("ok/nope.py", "NO_SUCH_PATH", {"path": "ok/nope.py"}),
        ("ok/a\nb.py", "CONTROL_CHARACTER", {"character": "U+000A"}),
    ]:
        _, answer = await api("POST", "training", "jobs", body={**base, "path": path})
        error = answer["error"]
        assert (error["code"], error["field"], error["params"]) == (code, "path", params), error


async def test_upload_resumes_after_an_interruption_and_skips_what_arrived(
    api, jp_root_dir, extension
):
    for index in range(6):
        write(jp_root_dir, f"many/file{index}.txt", f"content {index}\n" * 100)
    write(jp_root_dir, "many/train.py", "print('ok')\n")
    server = await extension.local_modelarts()
    # The third file's upload is cut off mid-way (the connection drops twice, past the
    # client's retries).
    fault = server.ctx.faults.add(
        Fault.from_dict({"route": "/code/file2\\.txt$", "kind": "drop", "methods": ["PUT"]})
    )
    record, _defaults = await launch(api, "many/train.py")
    assert record["state"] == "failed", record
    assert record["steps"][1]["state"] == "failed", (record["steps"], record["error"])
    server.ctx.faults.remove(fault.id)

    code, retried = await api("POST", "training", "launches", record["id"], "retry")
    assert code == 202, retried
    assert retried["id"] == record["id"]

    async def read():
        return (await api("GET", "operations", record["id"]))[1]

    done = await poll(read, lambda r: r["state"] != "running")
    assert done["state"] == "succeeded", done
    upload = done["steps"][1]
    # The browser words the step from its code and numbers.
    assert upload["message_code"] == "UPLOADED", upload
    said = upload["message_params"]
    uploaded, unchanged = said["uploaded"], said["unchanged"]
    assert uploaded >= 1 and unchanged >= 1 and uploaded + unchanged == 7, upload


async def test_an_injected_upstream_error_is_shown_with_its_code(api, jp_root_dir, extension):
    write(jp_root_dir, "ok/train.py", "print('hi')\n")
    server = await extension.local_modelarts()
    server.ctx.faults.add(
        Fault.from_dict(
            {"route": "/training-jobs$", "kind": "status", "status": 400, "methods": ["POST"],
             "code": "ModelArts.2783", "message": "The quota of training jobs is used up."}
        )
    )  # fmt: skip
    record, _defaults = await launch(api, "ok/train.py")
    assert record["state"] == "failed"
    assert record["error"]["upstream"]["error_code"] == "ModelArts.2783"
    assert "quota" in record["error"]["message"]

    server.ctx.faults.add(
        Fault.from_dict({"route": "/job/ai-engines", "kind": "status", "status": 500,
                         "code": "ModelArts.0001", "message": "internal"})
    )  # fmt: skip
    code, answer = await api("GET", "catalog", "engines")
    assert code == 502
    assert answer["error"]["upstream"]["error_code"] == "ModelArts.0001"


async def test_catalog_lists_specs_with_labels_and_engines_with_versions(api):
    code, specs = await api("GET", "catalog", "specs")
    assert code == 200
    cpu = next(spec for spec in specs["specs"] if spec["spec_id"] == 2)
    assert cpu["label"] == "modelarts.vm.cpu.2u (2 vCPUs, 8 GiB)"
    assert cpu["max_num"] == 2
    gpu = next(spec for spec in specs["specs"] if spec["spec_id"] == 4)
    assert "1x nvidia-p100" in gpu["label"]
    code, engines = await api("GET", "catalog", "engines")
    assert {"engine_id": 31, "label": "XGBoost-Sklearn Scikit_Learn-0.18.1-python3.6"}.items() <= (
        next(e for e in engines["engines"] if e["engine_id"] == 31).items()
    )
    code, answer = await api("GET", "catalog", "specs", job_type="bogus")
    assert code == 400 and answer["error"]["field"] == "job_type"


async def test_a_notebook_trains_as_its_script_and_its_settings_are_saved_as_a_config(
    api, jp_root_dir
):
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import argparse\np = argparse.ArgumentParser()\np.add_argument('--rounds', default=2)"
        ),
        nbformat.v4.new_code_cell("args, _ = p.parse_known_args()\nprint('rounds', args.rounds)"),
    ]
    write(jp_root_dir, "nb/experiment.ipynb", json.dumps(notebook))
    record, defaults = await launch(api, "nb/experiment.ipynb", save_config="experiment-cfg")
    assert defaults["notebook"] is True and defaults["boot_file"] == "experiment.py"
    assert record["state"] == "succeeded", record
    job_id, version_id = record["result"]["job_id"], record["result"]["version_id"]
    version = await wait_version(api, job_id, version_id, "completed", "failed")
    assert version["status_name"] == "completed", version
    assert version["boot_file_url"].endswith("/code/experiment.py")
    code, log = await api("GET", "training", "jobs", str(job_id), "versions", str(version_id),
                          "log", api="bytes", start_byte="0")  # fmt: skip
    assert code == 200 and "rounds 2" in log["content"]

    code, configs = await api("GET", "training", "configs")
    assert "experiment-cfg" in [c["config_name"] for c in configs["configs"]]
    code, config = await api("GET", "training", "configs", "experiment-cfg")
    assert config["parameters"] == [{"label": "rounds", "value": "2"}]
    assert config["spec_id"] == 2

    # The same file again, as a new version of the job: the code is already on OBS.
    record, _defaults = await launch(
        api, "nb/experiment.ipynb", job_id=job_id, train_url=None, log_url=None,
        parameters=[{"label": "rounds", "value": "5"}],
    )  # fmt: skip
    assert record["state"] == "succeeded", record
    assert record["result"]["job_id"] == job_id
    assert record["result"]["job_name"] == "experiment"  # the job's, not the form's free name
    second = await wait_version(api, job_id, record["result"]["version_id"], "completed")
    # Each version has its own code, output and log folders.
    assert second["app_url"] == version["app_url"].replace("/V0001/", "/V0002/")
    assert second["train_url"].endswith("/experiment/V0002/output/")
    assert second["log_url"].endswith("/experiment/V0002/logs/")


async def output_files(api, job_id: int, version_id: int) -> set[str]:
    code, output = await api(
        "GET", "training", "jobs", str(job_id), "versions", str(version_id), "output"
    )
    assert code == 200, output
    return {f["path"] for f in output["files"]}


async def test_launching_one_file_twice_never_writes_into_the_first_jobs_folders(api, jp_root_dir):
    iris_project(jp_root_dir)
    first, defaults = await launch(api, "iris/train.py")
    assert first["state"] == "succeeded", first
    job_id, version_id = first["result"]["job_id"], first["result"]["version_id"]
    version = await wait_version(api, job_id, version_id, "completed", "failed")
    assert version["status_name"] == "completed", version
    base = defaults["obs_folder"]
    assert version["app_url"] == f"{base}train/V0001/code/"
    assert version["train_url"] == f"{base}train/V0001/output/"
    assert version["log_url"] == f"{base}train/V0001/logs/"
    written = await output_files(api, job_id, version_id)
    assert "model/iris.m" in written

    # The dialog opened again on the same file proposes a free name and its folders.
    code, again = await api("GET", "training", "prefill", path="iris/train.py")
    assert again["job_name"] == "train-2"
    assert again["train_url"] == f"{base}train-2/V0001/output/"

    # Renamed, but still pointing at the first job's folders: refused, nothing started.
    body = {key: defaults[key] for key in ("path", "code_folder", "data", "train_url", "log_url")}
    body.update(job_name="iris_renamed", spec_id=2, engine_id=31)
    code, answer = await api("POST", "training", "jobs", body=body)
    assert code == 400, answer
    assert answer["error"]["code"] == "FOLDER_OF_OTHER_JOB"
    assert answer["error"]["field"] == "train_url"
    assert answer["error"]["params"]["job_name"] == "train"
    code, answer = await api("POST", "training", "jobs", body={**body, "train_url": None})
    assert code == 400 and answer["error"]["field"] == "log_url", answer
    # Another version's folder of the right job, and a folder that already holds files.
    code, answer = await api(
        "POST", "training", "jobs",
        body={**body, "job_name": "train", "job_id": job_id, "log_url": None,
              "train_url": f"{base}train/V0001/output/"},
    )  # fmt: skip
    assert code == 400 and answer["error"]["code"] == "FOLDER_OF_OTHER_VERSION", answer
    assert len((await api("GET", "operations", kind="training_launch"))[1]["operations"]) == 1

    # Renamed with the folders left to the server: they follow the new name.
    second, _ = await launch(api, "iris/train.py", job_name="iris_renamed",
                             train_url=None, log_url=None)  # fmt: skip
    assert second["state"] == "succeeded", second
    renamed = await wait_version(
        api, second["result"]["job_id"], second["result"]["version_id"], "completed", "failed"
    )
    assert renamed["status_name"] == "completed", renamed
    assert renamed["train_url"] == f"{base}iris_renamed/V0001/output/"
    assert renamed["app_url"] == f"{base}iris_renamed/V0001/code/"
    assert await output_files(api, job_id, version_id) == written

    # A job deleted and made again under its old name would overwrite what the first one wrote.
    code, _ = await api("DELETE", "training", "jobs", str(job_id))
    assert code in (200, 204)
    code, answer = await api(
        "POST", "training", "jobs", body={**body, "job_name": "train", "train_url": None,
                                          "log_url": None},
    )  # fmt: skip
    assert code == 400 and answer["error"]["code"] == "FOLDER_NOT_EMPTY", answer
    assert answer["error"]["field"] == "train_url"


async def test_visualization_jobs_for_a_training_output(api, jp_root_dir):
    write(jp_root_dir, "viz/train.py", "print('ok')\n")
    record, _defaults = await launch(api, "viz/train.py")
    job_id, version_id = record["result"]["job_id"], record["result"]["version_id"]
    version = await wait_version(api, job_id, version_id, "completed")

    body = {"job_name": "board", "train_url": version["train_url"]}
    code, board = await api("POST", "training", "visualization-jobs", body=body)
    assert code == 201, board
    board_id = str(board["job_id"])
    code, listed = await api("GET", "training", "visualization-jobs")
    assert [job["job_name"] for job in listed["jobs"]] == ["board"]
    code, stopped = await api("POST", "training", "visualization-jobs", board_id, "stop")
    assert code == 200, stopped
    code, again = await api("POST", "training", "visualization-jobs", board_id, "restart")
    assert code == 200, again
    code, _ = await api("DELETE", "training", "visualization-jobs", board_id)
    assert code == 200
    code, answer = await api("POST", "training", "visualization-jobs",
                             body={"job_name": "x" * 21, "train_url": "/b/o/"})  # fmt: skip
    assert code == 400 and answer["error"]["field"] == "job_name"


# Worker 1 fails once worker 0 has started (it listens on its BATCH_CUSTOM0_HOSTS port).
WORKER_ONE_RAISES = """\
import os, socket, time
me = os.environ["DLS_TASK_INDEX"]
host, port = os.environ["BATCH_CUSTOM0_HOSTS"].split(":")
print(f"worker {me} starting", flush=True)
if me == "0":
    server = socket.create_server((host, int(port)))
    time.sleep(600)
while True:
    try:
        socket.create_connection((host, int(port))).close()
        break
    except ConnectionRefusedError:
        time.sleep(0.05)
raise ValueError("worker 1 ran out of data")
"""


async def test_a_failed_worker_names_the_reason_and_each_workers_log_downloads(api, jp_root_dir):
    write(jp_root_dir, "pair/train.py", WORKER_ONE_RAISES)
    record, _defaults = await launch(api, "pair/train.py", worker_server_num=2)
    assert record["state"] == "succeeded", record
    job_id, version_id = record["result"]["job_id"], record["result"]["version_id"]
    version_path = ("training", "jobs", str(job_id), "versions", str(version_id))

    version = await wait_version(api, job_id, version_id, "completed", "failed")
    assert version["status_name"] == "failed"
    assert version["failure_reason"] == "worker-1: ValueError: worker 1 ran out of data"
    assert [(t["task"], t["phase"]) for t in version["task_statuses"]] == [
        ("worker-0", "stopped"), ("worker-1", "failed"),
    ]  # fmt: skip

    code, second = await api("GET", *version_path, "log", worker="1", base_line="0")
    assert code == 200 and "worker 1 starting" in second["content"]
    assert second["log_file"] == "train.1" and second["log_files"] == ["train.0", "train.1"]
    code, both = await api("GET", *version_path, "log", worker="all")
    assert "[worker-0] worker 0 starting\n" in both["content"]
    assert "[worker-1] worker 1 starting\n" in both["content"]
    code, wrong = await api("GET", *version_path, "log", worker="all", base_line="3")
    assert code == 400 and wrong["error"]["field"] == "base_line"
    code, missing = await api("GET", *version_path, "log", worker="2")
    assert code == 400 and missing["error"]["field"] == "worker"
    assert (missing["error"]["code"], missing["error"]["params"]) == (
        "NO_SUCH_WORKER",
        {"workers": 2, "all": "all"},
    )

    code, text = await api("GET", *version_path, "log", "download", worker="1")
    assert code == 200 and "ValueError: worker 1 ran out of data" in text
    assert "worker 0 starting" not in text
    code, text = await api("GET", *version_path, "log", "download", worker="all")
    assert "[worker-0] worker 0 starting\n" in text and "[worker-1] Traceback" in text


async def test_events_and_metrics_are_refused_in_words_on_a_v1_account(api):
    for part in ("events", "metrics"):
        code, answer = await api("GET", "training", "jobs", "12", part)
        assert code == 409 and answer["error"]["code"] == "NOT_OFFERED", answer
        assert "current training API (v2)" in answer["error"]["message"]
