"""Training jobs accept what the cloud accepts and refuse what it refuses (issue 20): the seed's
own samples, refusals that store nothing, paging ranges and dataset inputs."""

import time

import httpx
import pytest

DEADLINE = 60
SLOW_BOOT = b"import time\nprint('started', flush=True)\ntime.sleep(600)\n"


@pytest.fixture
def api(modelarts_local, project_api):
    obs = modelarts_local.obs
    obs.create_bucket("demo")
    obs.create_bucket("usr")
    obs.write("obs://demo/code/slow/boot.py", SLOW_BOOT)
    obs.write("obs://demo/data/iris.csv", b"")
    return project_api


def config(train_url, **changes):
    return {
        "worker_server_num": 1,
        "app_url": "/demo/code/slow/",
        "boot_file_url": "/demo/code/slow/boot.py",
        "data_url": "/demo/data/",
        "spec_id": 2,
        "engine_id": 31,
        "train_url": train_url,
        **changes,
    }


def create_job(api, name, train_url, **changes):
    created = api.post(
        "/training-jobs", json={"job_name": name, "config": config(train_url, **changes)}
    )
    assert created.status_code == 200, created.text
    return created.json()


def wait_running(api, job_id, version_id):
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        version = api.get(f"/training-jobs/{job_id}/versions/{version_id}").json()
        if version["status"] == 8:
            return version
        time.sleep(0.05)
    raise AssertionError(f"version {version_id} never ran: {version['status']}")


def test_the_custom_image_create_sample_with_spec_id_1_is_accepted(api):
    """004 §5.1.1 sample 2 ("create training job TestModelArtsJob2 with a custom image"), as
    printed but for its workspace_id (workspace ids are generated): "spec_id": 1."""
    sample = {
        "job_name": "TestModelArtsJob2",
        "job_desc": "This is a ModelArts job",
        "config": {
            "worker_server_num": 1,
            "data_url": "/usr/data/",
            "app_url": "/usr/app/",
            "parameter": [{"label": "CUSTOM_PARAM1", "value": "1"}],
            "spec_id": 1,
            "user_command": "bash -x /home/work/run_train.sh python "
            "/home/work/user-job-dir/app/mnist/mnist_softmax.py "
            "--data_url /home/work/user-job-dir/app/mnist_data",
            "user_image_url": "100.125.5.235:20202/jobmng/custom-cpu-base:1.0",
            "train_url": "/usr/train/",
            "log_url": "/usr/log/",
        },
    }
    created = api.post("/training-jobs", json=sample)
    assert created.status_code == 200, created.text
    specs = api.get("/job/resource-specs", params={"job_type": "train"}).json()["specs"]
    assert 1 in [spec["spec_id"] for spec in specs]


def test_a_version_without_code_runs_the_previous_versions_code(api):
    """004 §5.1.6 sample request: "config": {"worker_server_num": 1, "parameter": [...],
    ..., "spec_id": 1, "engine_id": 1, "train_url": "/usr/train/", "pre_version_id": 20} (no
    app_url, no boot_file_url)."""
    job = create_job(api, "inherit", "/demo/out/first/")
    wait_running(api, job["job_id"], job["version_id"])
    api.post(f"/training-jobs/{job['job_id']}/versions/{job['version_id']}/stop")
    sample = {
        "job_desc": "This is a ModelArts job",
        "config": {
            "worker_server_num": 1,
            "parameter": [
                {"label": "learning_rate", "value": "0.01"},
                {"label": "batch_size", "value": "32"},
            ],
            "data_url": "/demo/data/",
            "spec_id": 1,
            "engine_id": 1,
            "train_url": "/usr/train/",
            "pre_version_id": int(job["version_id"]),
        },
    }
    created = api.post(f"/training-jobs/{job['job_id']}/versions", json=sample)
    assert created.status_code == 200, created.text
    version = api.get(
        f"/training-jobs/{job['job_id']}/versions/{created.json()['version_id']}"
    ).json()
    assert version["app_url"] == "/demo/code/slow/"
    assert version["boot_file_url"] == "/demo/code/slow/boot.py"
    assert version["spec_id"] == 1


def test_a_create_refused_for_a_busy_train_url_stores_no_job(api):
    """004 §10.2 "ModelArts.2604 The training output path has been used by another training
    job." The refused create must leave nothing, so the retry with a free path succeeds."""
    running = create_job(api, "first", "/demo/out/shared/")
    wait_running(api, running["job_id"], running["version_id"])
    refused = api.post(
        "/training-jobs", json={"job_name": "second", "config": config("/demo/out/shared/")}
    )
    assert (refused.status_code, refused.json()["error_code"]) == (409, "ModelArts.2604")
    names = [job["job_name"] for job in api.get("/training-jobs").json()["jobs"]]
    assert names == ["first"]
    retried = api.post(
        "/training-jobs", json={"job_name": "second", "config": config("/demo/out/free/")}
    )
    assert retried.status_code == 200, retried.text


def test_a_version_refused_for_a_busy_train_url_changes_no_job_desc(api):
    """The same 2604 rule for TJ-6: a refused version keeps the job as it was."""
    running = create_job(api, "busy", "/demo/out/busy/")
    other = create_job(api, "other", "/demo/out/other/")
    wait_running(api, running["job_id"], running["version_id"])
    refused = api.post(
        f"/training-jobs/{other['job_id']}/versions",
        json={
            "job_desc": "changed",
            "config": {
                **config("/demo/out/busy/"),
                "pre_version_id": int(other["version_id"]),
            },
        },
    )
    assert (refused.status_code, refused.json()["error_code"]) == (409, "ModelArts.2604")
    versions = api.get(f"/training-jobs/{other['job_id']}/versions").json()
    assert versions["job_desc"] == "" and versions["version_count"] == 1


@pytest.mark.parametrize("path", ["/training-jobs", "/training-job-configs", "/visualization-jobs"])
def test_list_pages_count_from_1(api, path):
    """004 §5.1.2 page: "Default value: 1 The value range is [1, 65535]." (the configuration
    and visualization lists document the same default)."""
    refused = api.get(path, params={"page": 0})
    assert refused.status_code == 400
    assert refused.json()["error_code"] == "ModelArts.0107"
    assert "page" in refused.json()["error_msg"]
    assert api.get(path, params={"page": 1}).status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {
            "dataset_id": "38277e62-9e59-48f4-8d89-c8cf41622c24",
            "dataset_version_id": "2ff0d6ba-c480-45ae-be41-09a8369bfc90",
        },
        {"data_source": [{"type": "dataset", "dataset_id": "d1", "dataset_version": "v1"}]},
    ],
    ids=["dataset_id", "data_source"],
)
def test_dataset_inputs_are_refused_with_the_documented_code(api, data):
    """004 §10.2 "ModelArts.1674 The dataset does not exist. Check the request parameter and
    enter the correct dataset_id." Local ModelArts keeps no datasets."""
    body = {"job_name": "data", "config": {**config("/demo/out/data/"), **data}}
    del body["config"]["data_url"]
    refused = api.post("/training-jobs", json=body)
    assert (refused.status_code, refused.json()["error_code"]) == (400, "ModelArts.1674")
    assert "dataset" in refused.json()["error_msg"]
    assert api.get("/training-jobs").json()["jobs"] == []


def test_unset_configuration_fields_are_absent_not_null(api):
    """004 §5.2.5 TC-5 table: app_url, boot_file_url, data_url, dataset_id, user_image_url,
    user_command ... are String: a field the configuration does not set is left out."""
    created = api.post(
        "/training-job-configs",
        json={"config_name": "plain", **config("/demo/out/cfg/")},
    )
    assert created.status_code == 200, created.text
    shown = api.get("/training-job-configs/plain").json()
    listed = api.get("/training-job-configs").json()["configs"][0]
    for document in (shown, listed):
        assert None not in document.values(), document
    assert "user_image_url" not in shown and shown["app_url"] == "/demo/code/slow/"


def test_a_running_visualization_job_serves_tensorboard_on_its_train_url(api, modelarts_local):
    """004 §5.3.3 VJ-3 service_url: "Endpoint of a visualization job" (the sample's is a
    TensorBoard address). Local ModelArts serves a real TensorBoard on the local folder of the
    job's train_url when the optional `tensorboard` extra is installed."""
    pytest.importorskip("tensorboard", reason="the optional extra: pip install -e .[tensorboard]")
    created = api.post(
        "/visualization-jobs", json={"job_name": "board", "train_url": "/demo/out/board/"}
    ).json()
    job_id = created["job_id"]
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        job = api.get(f"/visualization-jobs/{job_id}").json()
        if job["status"] == 8 and job["service_url"]:
            break
        time.sleep(0.1)
    assert job["service_url"].startswith("http://127.0.0.1:"), job
    logdir = None
    while time.monotonic() < deadline and logdir is None:
        try:
            logdir = httpx.get(job["service_url"] + "data/logdir", timeout=5).json()["logdir"]
        except httpx.HTTPError:
            time.sleep(0.2)
    assert logdir == str(modelarts_local.obs.local_path("/demo/out/board/"))

    assert api.post(f"/visualization-jobs/{job_id}/stop").status_code == 200
    assert api.get(f"/visualization-jobs/{job_id}").json()["service_url"] == ""
    with pytest.raises(httpx.HTTPError):
        httpx.get(job["service_url"] + "data/logdir", timeout=5)
