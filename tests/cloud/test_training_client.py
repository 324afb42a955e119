"""Training jobs, versions, logs, configurations, visualization jobs and specs through the
client, against Local ModelArts (which really runs the scripts)."""

from __future__ import annotations

import pytest

from jupyterlab_modelarts.cloud.errors import ConflictError, NotFoundError, ValidationError
from jupyterlab_modelarts.cloud.policy import Timeouts
from jupyterlab_modelarts.cloud.schemas.training import JobStatus

SCRIPT = b"""import sys
for i in range(1200):
    print(f"line {i}", flush=True)
print("args", " ".join(sys.argv[1:]), flush=True)
"""


@pytest.fixture
async def setup(modelarts_local, ma):
    obs = modelarts_local.obs
    obs.create_bucket("demo")
    obs.write("obs://demo/code/count/boot.py", SCRIPT)
    obs.write(
        "obs://demo/code/slow/boot.py",
        b"import time\nprint('started', flush=True)\ntime.sleep(600)\n",
    )
    obs.write("obs://demo/data/x.csv", b"1,2\n")
    engine = (await ma.specs.engines(job_type="train")).engines[0]
    spec = (await ma.specs.resources(job_type="train")).specs[0]
    return {"engine_id": engine.engine_id, "spec_id": spec.spec_id, "max_num": spec.max_num}


def job(name, setup, code="count", **config):
    return {
        "job_name": name,
        "job_desc": "client test",
        "config": {
            "worker_server_num": 1,
            "app_url": f"/demo/code/{code}/",
            "boot_file_url": f"/demo/code/{code}/boot.py",
            "parameter": [{"label": "lr", "value": 0.01}],
            "data_url": "/demo/data/",
            "spec_id": setup["spec_id"],
            "engine_id": setup["engine_id"],
            "train_url": f"/demo/out/{name}/",
            **config,
        },
    }


async def test_job_runs_and_its_whole_log_is_followed(ma, setup):
    created = await ma.training.create(job("counting", setup))
    assert created.job_name == "counting" and created.version_id

    lines = [
        line
        async for line in ma.training.follow_log(
            created.job_id, created.version_id, poll_interval=0.05
        )
    ]
    counted = [line for line in lines if line.startswith("line ")]
    assert counted == [f"line {i}" for i in range(1200)]
    assert any("--lr=0.01" in line for line in lines)

    version = await ma.training.wait(created.job_id, created.version_id, timeout=30, interval=0.05)
    assert version.job_status is JobStatus.COMPLETED
    assert version.job_status.terminal
    files = await ma.training.log_files(created.job_id, created.version_id)
    first = await ma.training.log_bytes(created.job_id, created.version_id, files[0], offset=7)
    assert (first.log, first.end_byte) == ("line 0\n", 7)
    listing = await ma.training.list(search_content="counting")
    assert [j.job_id for j in listing.jobs] == [created.job_id]


async def test_versions_stop_and_delete(ma, setup):
    created = await ma.training.create(job("slowjob", setup, code="slow"))
    await ma.training.wait(
        created.job_id,
        created.version_id,
        frozenset({JobStatus.RUNNING}),
        timeout=30,
        interval=0.05,
    )
    await ma.training.stop(created.job_id, created.version_id)
    stopped = await ma.training.wait(created.job_id, created.version_id, timeout=30, interval=0.05)
    assert stopped.job_status in (JobStatus.KILLED, JobStatus.CANCELED)

    config = job("x", setup)["config"] | {"pre_version_id": created.version_id}
    second = await ma.training.create_version(created.job_id, config=config, job_desc="v2")
    assert second.version_id != created.version_id
    versions = await ma.training.versions(created.job_id)
    assert {v.version_id for v in versions.versions} == {created.version_id, second.version_id}

    await ma.training.update_description(created.job_id, "renamed")
    await ma.training.wait(created.job_id, second.version_id, timeout=30, interval=0.05)
    await ma.training.delete_version(created.job_id, second.version_id)
    await ma.training.delete(created.job_id)
    with pytest.raises(NotFoundError):
        await ma.training.get_version(created.job_id, created.version_id)


async def test_invalid_jobs_are_refused_before_sending(ma, setup):
    with pytest.raises(ValidationError) as caught:
        await ma.training.create(job("bad", setup, worker_server_num=setup["max_num"] + 1))
    assert caught.value.field == "config.worker_server_num"
    with pytest.raises(ValidationError) as caught:
        await ma.training.create(job("bad", setup, spec_id=987654))
    assert caught.value.field == "config.spec_id"
    mixed_sources = [
        {"data_url": "/demo/data/"},
        {"type": "dataset", "dataset_id": "d", "dataset_version": "v"},
    ]
    # the rules between fields: the field, and the code and values the front end words it from
    cases = [
        ({"dataset_id": "d", "dataset_version_id": "v"}, "config.dataset_id",
         ("EXACTLY_ONE_OF", {"choices": ["data_url", "dataset_id", "data_source"]})),
        ({"data_url": None}, "config.data_url",
         ("REQUIRED_UNLESS", {"alternatives": ["dataset_id + dataset_version_id", "data_source"]})),
        ({"data_url": None, "dataset_id": "d"}, "config.dataset_version_id",
         ("GO_TOGETHER", {"first": "dataset_id", "second": "dataset_version_id"})),
        ({"data_url": None, "data_source": mixed_sources}, "config.data_source",
         ("SAME_VALUE", {"key": "type"})),
        ({"data_url": None, "data_source": [{"data_url": "/demo/data/", "dataset_id": "d"}]},
         "config.data_source[0].dataset_version",
         ("GO_TOGETHER", {"first": "dataset_id", "second": "dataset_version"})),
        ({"engine_id": None}, "config.engine_id",
         ("REQUIRED_UNLESS", {"alternatives": ["model_id"]})),
        ({"boot_file_url": "/demo/elsewhere/boot.py"}, "config.boot_file_url",
         ("FILE_OUTSIDE_FOLDER", {"folder": "app_url"})),
        ({"train_url": "/demo/out/.hidden/"}, "config.train_url",
         ("OBS_FOLDER", {"reason": "folder_name", "name": ".hidden"})),
    ]  # fmt: skip
    for change, field, wording in cases:
        with pytest.raises(ValidationError) as caught:
            await ma.training.create(job("bad", setup, **change))
        assert (caught.value.field, caught.value.wording) == (field, wording), change
    with pytest.raises(ValidationError) as caught:
        await ma.training.log_lines(1, 1, "f.log", lines=501)
    assert caught.value.field == "lines"
    assert (await ma.training.list()).jobs == []


async def test_duplicate_job_name_is_a_conflict(ma, setup):
    await ma.training.create(job("twice", setup, code="slow"))
    with pytest.raises(ConflictError) as caught:
        await ma.training.create(job("twice", setup, code="slow"))
    assert caught.value.error_code


async def test_configurations_round_trip(ma, setup):
    body = job("cfg", setup)["config"]
    created = await ma.training_configs.create(config_name="cfg-1", config_desc="first", **body)
    assert created.config_name == "cfg-1" and created.spec_id == setup["spec_id"]
    await ma.training_configs.update("cfg-1", config_desc="second", **body)
    assert (await ma.training_configs.get("cfg-1")).config_desc == "second"
    names = [c.config_name for c in (await ma.training_configs.list()).configs]
    assert "cfg-1" in names
    await ma.training_configs.delete("cfg-1")
    with pytest.raises(NotFoundError):
        await ma.training_configs.get("cfg-1")
    with pytest.raises(ValidationError) as caught:
        await ma.training_configs.create(config_name="x" * 21, **body)
    assert caught.value.field == "config_name"
    with pytest.raises(ValidationError) as caught:
        await ma.training_configs.list(config_type="sample", sort_by="create_time")
    assert (caught.value.field, caught.value.wording) == (
        "sortBy",
        ("EXCLUSIVE", {"given": "create_time", "other": "config_type", "value": "sample"}),
    )


async def test_visualization_job_lifecycle(ma, setup):
    created = await ma.visualization.create(job_name="board", train_url="/demo/out/")
    job_id = created.job_id
    assert (await ma.visualization.get(job_id)).job_name == "board"
    await ma.visualization.update_description(job_id, "tensorboard")
    assert [j.job_id async for j in ma.visualization.iterate()] == [job_id]
    await ma.visualization.stop(job_id)
    await ma.visualization.restart(job_id)
    await ma.visualization.delete(job_id)
    with pytest.raises(NotFoundError):
        await ma.visualization.get(job_id)


async def test_built_in_algorithms_decode_their_parameters(ma):
    algorithms = await ma.training.built_in_algorithms(per_page=5)
    assert algorithms.models
    assert isinstance(algorithms.models[0].parameter, list)


async def test_job_create_with_lost_answer_is_reconciled_by_name(modelarts_local, connect, setup):
    async with connect(timeouts=Timeouts(connect=2, read=5, write=5, create=0.2)) as slow:
        modelarts_local.add_fault(
            {"route": r"/training-jobs$", "kind": "latency", "delay_seconds": 0.4,
             "methods": ["POST"], "times": 1}
        )  # fmt: skip
        created = await slow.training.create(job("lost-answer", setup, code="slow"))
        jobs = (await slow.training.list(search_content="lost-answer")).jobs
    assert [j.job_id for j in jobs] == [created.job_id]
