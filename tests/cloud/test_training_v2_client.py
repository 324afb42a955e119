"""The current training API (v2) through the client, against Local ModelArts playing Huawei
Cloud: fields checked before sending, a job run and its log followed, paged search, description
changes, terminate, delete."""

from __future__ import annotations

from pathlib import Path

import pytest

from jupyterlab_modelarts.cloud.errors import NotFoundError, ValidationError
from jupyterlab_modelarts.cloud.schemas.training_v2 import Phase
from jupyterlab_modelarts.emulator.config import EmulatorConfig

SCRIPT = b"""import sys, time
for i in range(700):
    print(f"line {i}", flush=True)
print("args", " ".join(sys.argv[1:]), flush=True)
"""


@pytest.fixture
def modelarts_local_config(tmp_path: Path) -> EmulatorConfig:
    return EmulatorConfig(
        data_dir=tmp_path / "modelarts-local",
        speed=200.0,
        modules={"training": {"plays": "huaweicloud"}},
    )


@pytest.fixture
async def catalog(modelarts_local, ma):
    obs = modelarts_local.obs
    obs.create_bucket("demo")
    obs.write("obs://demo/code/count/boot.py", SCRIPT)
    obs.write(
        "obs://demo/code/slow/boot.py", b"import time\nprint('up', flush=True)\ntime.sleep(600)\n"
    )
    engine = (await ma.training_v2.engines()).items[0]
    flavor = (await ma.training_v2.flavors(flavor_type="CPU")).flavors[0]
    return {"engine_id": engine.engine_id, "flavor_id": flavor.flavor_id, "max": flavor.max_num}


def job(name, catalog, code="count", **resource):
    return {
        "metadata": {"name": name, "description": "client test"},
        "algorithm": {
            "code_dir": f"obs://demo/code/{code}/",
            "boot_file": f"obs://demo/code/{code}/boot.py",
            "engine": {"engine_id": catalog["engine_id"]},
            "parameters": [{"name": "lr", "value": 0.01}],
            "outputs": [
                {"name": "train_url", "remote": {"obs": {"obs_url": f"/demo/out/{name}/"}}}
            ],
        },
        "spec": {"resource": {"flavor_id": catalog["flavor_id"], "node_count": 1, **resource}},
    }


async def test_a_job_runs_and_its_whole_log_is_followed(ma, catalog):
    created = await ma.training_v2.create(job("counting", catalog))
    assert created.name == "counting" and created.status.job_phase is Phase.CREATING

    lines = [line async for line in ma.training_v2.follow_log(created.id, poll_interval=0.05)]

    assert lines[:2] == ["line 0", "line 1"] and "line 699" in lines
    assert lines[-1] == "args --train_url=s3://demo/out/counting/ --lr=0.01"
    done = await ma.training_v2.wait(created.id, interval=0.05)
    assert done.status.job_phase is Phase.COMPLETED and done.status.terminal
    assert [task.task for task in await ma.training_v2.tasks(created.id)] == ["worker-0"]
    assert "line 699" in (await ma.training_v2.log_preview(created.id)).content
    events = await ma.training_v2.events(created.id, limit=50)
    assert events.events[-1].message == "Job completed"
    assert {m.metric for m in (await ma.training_v2.metrics(created.id)).metrics}


async def test_bad_fields_are_refused_before_sending(ma, catalog):
    output = {"name": "train_url", "remote": {"obs": {"obs_url": "/demo/out/x/"}}}
    # the rules between fields: the field, and the code and values the front end words it from
    cases = [
        ({"engine": {}}, "algorithm.engine.engine_id",
         ("REQUIRED_UNLESS", {"alternatives": ["engine_name + engine_version", "image_url"]})),
        ({"engine": {"engine_name": "PyTorch"}}, "algorithm.engine.engine_version",
         ("GO_TOGETHER", {"first": "engine_name", "second": "engine_version"})),
        ({"engine": {"engine_id": "e", "image_url": "swr.example/x:1"}},
         "algorithm.engine.image_url", ("EXCLUSIVE", {"other": "engine_id"})),
        ({"engine": {"image_url": "swr.example/x:1"}}, "algorithm.command",
         ("REQUIRED_WITH", {"other": "engine.image_url"})),
        ({"engine": None}, "algorithm.engine", ("REQUIRED_UNLESS", {"alternatives": ["id"]})),
        ({"boot_file": None}, "algorithm.boot_file",
         ("REQUIRED_UNLESS", {"alternatives": ["engine.image_url"]})),
        ({"boot_file": "obs://demo/elsewhere/boot.py"}, "algorithm.boot_file",
         ("FILE_OUTSIDE_FOLDER", {"folder": "code_dir"})),
        ({"code_dir": "obs://demo"}, "algorithm.code_dir",
         ("OBS_FOLDER", {"reason": "trailing_slash"})),
        ({"outputs": [output, output]}, "algorithm.outputs",
         ("GIVEN_TWICE", {"key": "name", "value": "train_url"})),
    ]  # fmt: skip
    for change, field, wording in cases:
        body = job("x", catalog)
        body["algorithm"] |= change
        with pytest.raises(ValidationError) as caught:
            await ma.training_v2.create(body)
        assert (caught.value.field, caught.value.wording) == (field, wording), change
    with pytest.raises(ValidationError) as nodes:
        await ma.training_v2.create(job("x", catalog, node_count=catalog["max"] + 1))
    assert nodes.value.field == "spec.resource.node_count"
    with pytest.raises(ValidationError) as flavor:
        await ma.training_v2.create(job("x", catalog, flavor_id="no.such.flavor"))
    assert flavor.value.field == "spec.resource.flavor_id"
    with pytest.raises(ValidationError) as nowhere:
        await ma.training_v2.create(job("x", catalog, flavor_id=None))
    assert (nowhere.value.field, nowhere.value.wording) == (
        "spec.resource.flavor_id",
        ("REQUIRED_UNLESS", {"alternatives": ["pool_id"]}),
    )
    with pytest.raises(ValidationError) as limit:
        await ma.training_v2.search(limit=51)
    assert limit.value.field == "limit"
    assert (await ma.training_v2.search()).total == 0


async def test_iterate_pages_through_every_job_once(ma, catalog):
    for index in range(5):
        await ma.training_v2.create(job(f"job-{index}", catalog))
    names = [j.name async for j in ma.training_v2.iterate(page_size=2, order="asc")]
    assert names == [f"job-{index}" for index in range(5)]
    assert (await ma.training_v2.find("job-3")).name == "job-3"
    assert await ma.training_v2.find("job") is None


async def test_node_count_runs_that_many_workers_each_with_its_task_log(
    ma, catalog, modelarts_local
):
    script = (
        "import os\nprint('task', os.environ['VC_TASK_INDEX'], 'of', os.environ['VC_WORKER_NUM'])\n"
    )
    modelarts_local.obs.write("obs://demo/code/nodes/boot.py", script.encode())
    created = await ma.training_v2.create(job("two-nodes", catalog, code="nodes", node_count=2))
    done = await ma.training_v2.wait(created.id, interval=0.05)
    assert done.status.job_phase is Phase.COMPLETED and done.spec.node_count == 2
    assert [t.task for t in await ma.training_v2.tasks(created.id)] == ["worker-0", "worker-1"]
    for index in (0, 1):
        log = await ma.training_v2.log_preview(created.id, f"worker-{index}")
        assert f"task {index} of 2" in log.content


async def test_describe_terminate_then_delete(ma, catalog):
    created = await ma.training_v2.create(job("slow", catalog, code="slow"))
    await ma.training_v2.wait(created.id, frozenset({Phase.RUNNING}), interval=0.05)
    await ma.training_v2.change_description(created.id, "still running")
    assert (await ma.training_v2.get(created.id)).metadata.description == "still running"
    with pytest.raises(ValidationError) as too_long:
        await ma.training_v2.change_description(created.id, "x" * 257)
    assert too_long.value.field == "description"
    with pytest.raises(ValidationError) as page:
        await ma.training_v2.events(created.id, limit=101)
    assert page.value.field == "limit"
    await ma.training_v2.terminate(created.id)
    stopped = await ma.training_v2.wait(created.id, interval=0.05)
    assert stopped.status.job_phase is Phase.TERMINATED
    await ma.training_v2.delete(created.id)
    with pytest.raises(NotFoundError):
        await ma.training_v2.get(created.id)
