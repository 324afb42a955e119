"""Training over REST on an account that trains through v2: the embedded Local ModelArts plays
Huawei Cloud (v2 training only), so the local profile's jobs go through the v2 API end to
end, and what only v1 has is refused in words before anything is sent."""

from __future__ import annotations

from typing import Any

import pytest
from test_training import SLOW_SCRIPT, iris_project, launch, poll, write

#: Keeps a core busy and holds some memory for a few seconds, so that its use is sampled.
BUSY_SCRIPT = """\
import time
held = b"x" * (64 * 1024 * 1024)
end = time.monotonic() + 4
while time.monotonic() < end:
    sum(range(10000))
print("busy done", len(held))
"""


@pytest.fixture
def modelarts_config(tmp_path):
    return {
        "profiles_dir": str(tmp_path / "profiles"),
        "local_data_dir": str(tmp_path / "local"),
        "local_modules": {"training": {"plays": "huaweicloud"}},
    }


async def flavor_and_engine(api) -> dict[str, str]:
    code, specs = await api("GET", "catalog", "specs")
    assert code == 200, specs
    code, engines = await api("GET", "catalog", "engines")
    sklearn = next(e for e in engines["engines"] if e["engine_name"] == "XGBoost-Sklearn")
    return {"spec_id": specs["specs"][0]["spec_id"], "engine_id": sklearn["engine_id"]}


async def wait_job(api, job_id: str, *statuses: str) -> dict[str, Any]:
    async def read():
        return (await api("GET", "training", "jobs", job_id, "versions", "1"))[1]

    return await poll(read, lambda v: v.get("status_name") in statuses)


async def test_train_from_file_on_v2_runs_with_log_output_and_model_import(
    api, jp_fetch, jp_root_dir
):
    iris_project(jp_root_dir)
    choice = await flavor_and_engine(api)
    assert isinstance(choice["spec_id"], str) and "." in choice["spec_id"]
    record, defaults = await launch(api, "iris/train.py", **choice)

    assert defaults["training_api"] == "v2"
    assert record["state"] == "succeeded", record
    job_id = record["result"]["job_id"]
    assert record["result"]["version_id"] == 1 and len(job_id) == 36

    version = await wait_job(api, job_id, "completed", "failed")
    assert version["status_name"] == "completed", version
    assert version["status"] == "Completed" and version["training_api"] == "v2"
    assert version["status_meaning"] == "The job has been completed."
    code, log = await api("GET", "training", "jobs", job_id, "versions", "1", "log", base_line="0")
    assert code == 200 and "training accuracy" in log["content"]
    assert log["terminal"] is True and log["log_file"] == "worker-0"
    download = await jp_fetch(
        "modelarts", "api", "v1", "training", "jobs", job_id, "versions", "1", "log", "download"
    )
    assert "training accuracy" in download.body.decode()
    assert (
        f'filename="modelarts-job-{job_id}-worker-0.log"' in download.headers["Content-Disposition"]
    )
    code, answer = await api("GET", "training", "jobs", job_id, "versions", "1", "log", api="bytes")
    assert code == 409 and answer["error"]["field"] == "api", answer
    code, output = await api("GET", "training", "jobs", job_id, "versions", "1", "output")
    assert {"model/iris.m", "model/config.json"} <= {f["path"] for f in output["files"]}

    code, imported = await api(
        "POST",
        "deployments",
        body={
            "source_location": output["train_url"] + "model/",
            "source_job_id": job_id,
            "source_job_version": "1",
            "model_name": "iris-v2",
            "model_version": "1.0.0",
            "model_type": "Scikit_Learn",
        },
    )
    assert code == 202, imported

    async def operation():
        return (await api("GET", "operations", imported["id"]))[1]

    assert (await poll(operation, lambda r: r["state"] != "running"))["state"] == "succeeded"
    code, models = await api("GET", "models")
    assert "iris-v2" in {m["model_name"] for m in models["models"]}

    code, jobs = await api("GET", "training", "jobs")
    assert jobs["training_api"] == "v2"
    listed = next(job for job in jobs["jobs"] if job["job_id"] == job_id)
    assert listed["job_name"] == "train" and listed["status_name"] == "completed"
    code, versions = await api("GET", "training", "jobs", job_id)
    assert [v["version_name"] for v in versions["versions"]] == ["V0001"]


async def test_a_v2_jobs_events_and_metrics_come_from_its_run(api, jp_root_dir):
    write(jp_root_dir, "busy/train.py", BUSY_SCRIPT)
    record, _ = await launch(api, "busy/train.py", **await flavor_and_engine(api))
    job_id = record["result"]["job_id"]
    await wait_job(api, job_id, "running")

    async def metrics():
        return (await api("GET", "training", "jobs", job_id, "metrics"))[1]

    def memory_sampled(answer: dict[str, Any]) -> bool:
        return any(m["metric"] == "memUsage" and m["value"] for m in answer["metrics"])

    live = await poll(metrics, memory_sampled)
    assert live["task"] == "worker-0" and live["terminal"] is False
    usage = {m["metric"]: m["value"] for m in live["metrics"]}
    assert set(usage) == {"cpuUsage", "memUsage"}
    assert 0 < usage["memUsage"][-1] < 100

    ended = await wait_job(api, job_id, "completed", "failed")
    assert ended["status_name"] == "completed", ended
    final = await metrics()
    usage = {m["metric"]: m["value"] for m in final["metrics"]}
    # The last sample may fall in the process's exit, after its busy loop: any sample counts.
    assert final["terminal"] is True and max(usage["cpuUsage"], default=0) > 0

    code, events = await api("GET", "training", "jobs", job_id, "events")
    assert code == 200 and events["terminal"] is True
    messages = [event["message"] for event in events["events"]]
    assert messages[0] == "Job created" and messages[-1] == "Job completed"
    assert "Job running" in messages and events["total"] == len(messages)
    assert all(event["level"] == "Info" and event["time"].isdigit() for event in events["events"])
    code, newest = await api("GET", "training", "jobs", job_id, "events", order="desc", limit="1")
    assert [event["message"] for event in newest["events"]] == ["Job completed"]
    code, found = await api("GET", "training", "jobs", job_id, "events", pattern="running")
    assert [event["message"] for event in found["events"]] == ["Job running"]
    code, answer = await api("GET", "training", "jobs", job_id, "events", limit="101")
    assert code == 400 and answer["error"]["field"] == "limit", answer
    code, answer = await api("GET", "training", "jobs", job_id, "metrics", worker="3")
    assert code == 400 and answer["error"]["field"] == "worker", answer


async def test_a_v2_jobs_description_changes_while_it_runs(api, jp_root_dir):
    write(jp_root_dir, "slow/train.py", SLOW_SCRIPT)
    record, _ = await launch(api, "slow/train.py", **await flavor_and_engine(api))
    job_id = record["result"]["job_id"]
    await wait_job(api, job_id, "running")

    code, answer = await api("PUT", "training", "jobs", job_id, body={"job_desc": "first try"})
    assert code == 200, answer
    code, job = await api("GET", "training", "jobs", job_id)
    assert job["job_desc"] == "first try"

    async def listed():
        jobs = (await api("GET", "training", "jobs"))[1]["jobs"]
        return next(job for job in jobs if job["job_id"] == job_id)

    assert (await poll(listed, lambda job: job["job_desc"] == "first try"))["status_name"]
    code, answer = await api("PUT", "training", "jobs", job_id, body={"job_desc": "x" * 257})
    assert code == 400 and answer["error"]["field"] == "job_desc", answer
    code, answer = await api("PUT", "training", "jobs", job_id, body={})
    assert code == 400 and answer["error"]["field"] == "job_desc", answer
    assert (await api("GET", "training", "jobs", job_id))[1]["job_desc"] == "first try"
    await api("POST", "training", "jobs", job_id, "versions", "1", "stop")


async def test_stop_then_delete_a_running_v2_job(api, jp_root_dir):
    write(jp_root_dir, "slow/train.py", SLOW_SCRIPT)
    record, _ = await launch(api, "slow/train.py", **await flavor_and_engine(api))
    job_id = record["result"]["job_id"]
    await wait_job(api, job_id, "running")

    code, stopped = await api("POST", "training", "jobs", job_id, "versions", "1", "stop")
    assert code == 200, stopped
    assert (await wait_job(api, job_id, "terminated"))["terminal"] is True
    code, again = await api("POST", "training", "jobs", job_id, "versions", "1", "stop")
    assert code == 409 and again["error"]["code"] == "NOT_STOPPABLE"
    assert again["error"]["params"] == {"status": "terminated"}

    code, _ = await api("DELETE", "training", "jobs", job_id)
    assert code == 200
    assert (await api("GET", "training", "jobs", job_id))[0] == 404


async def test_what_only_v1_offers_is_refused_in_words_before_sending(api, jp_root_dir):
    write(jp_root_dir, "slow/train.py", SLOW_SCRIPT)
    choice = await flavor_and_engine(api)
    code, defaults = await api("GET", "training", "prefill", path="slow/train.py")
    body = {
        **{k: defaults[k] for k in ("path", "job_name", "code_folder", "boot_file", "data")},
        **choice,
        "save_config": "mine",
    }
    code, answer = await api("POST", "training", "jobs", body=body)
    assert code == 409 and answer["error"]["code"] == "NOT_OFFERED"
    refusal = answer["error"]
    assert refusal["field"] == "save_config" and "old training API (v1)" in refusal["message"]
    assert refusal["params"] == {"reason": "v1_only", "feature": "configs_save"}  # to word it
    code, answer = await api(
        "POST", "training", "visualization-jobs", body={"job_name": "tb", "train_url": "/b/o/"}
    )
    assert code == 409 and "v2" in answer["error"]["message"]
    assert (await api("GET", "training", "visualization-jobs"))[1]["jobs"] == []
    assert (await api("GET", "training", "configs"))[1]["configs"] == []
    # Naming a configuration or a board (e.g. from an old notebook) is refused in words too,
    # not sent to the v1 API the cloud no longer serves.
    for method, path, sent in (
        ("GET", ("configs", "mine"), None),
        ("PUT", ("configs", "mine"), {"config_desc": "x"}),
        ("DELETE", ("configs", "mine"), None),
        ("GET", ("visualization-jobs", "7"), None),
        ("PUT", ("visualization-jobs", "7"), {"job_desc": "x"}),
        ("POST", ("visualization-jobs", "7", "stop"), {}),
        ("DELETE", ("visualization-jobs", "7"), None),
    ):
        code, answer = await api(method, "training", *path, body=sent)
        assert code == 409 and answer["error"]["code"] == "NOT_OFFERED", (method, path, answer)
        assert "old training API (v1)" in answer["error"]["message"]
        assert answer["error"]["params"]["reason"] == "v1_only"
    code, answer = await api("GET", "catalog", "algorithms")
    assert code == 409 and answer["error"]["message"].startswith("Built-in algorithms: part of")
    assert (await api("GET", "operations", kind="training_launch"))[1]["operations"] == []
    unknown = {**body, "save_config": None, "spec_id": "no.such.flavor"}
    code, answer = await api("POST", "training", "jobs", body=unknown)
    assert code == 400 and answer["error"]["field"] == "spec_id"
    assert (answer["error"]["code"], answer["error"]["params"]) == (
        "UNKNOWN_SPEC",
        {"spec_id": "no.such.flavor"},
    )
