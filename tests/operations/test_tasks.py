"""Long operations: steps and progress are published and kept; a restart marks them interrupted."""

from __future__ import annotations

import asyncio
import json

from jupyterlab_modelarts.cloud.errors import AuthError
from jupyterlab_modelarts.events import EventBus
from jupyterlab_modelarts.operations.messages import message
from jupyterlab_modelarts.operations.tasks import Operations

STEPS = [("upload", "Upload code"), ("create", "Create job")]


def start(operations, workflow):
    return operations.start(
        kind="train",
        title=message("TRAIN", job_name="t"),
        profile="local",
        steps=STEPS,
        params={},
        workflow=workflow,
    )


async def test_a_successful_operation_reports_each_step_and_its_result(tmp_path):
    bus = EventBus()
    operations = Operations(bus, tmp_path / "operations.json")

    async def workflow(progress):
        async with progress.step("upload") as step:
            step.update(0.5, message("FILES_SENT", done=1, total=2))
        async with progress.step("create"):
            pass
        return {"job_id": 42}

    async with bus.subscribe() as tab:
        record = operations.start(
            kind="train",
            title=message("TRAIN", job_name="a"),
            profile="local",
            steps=STEPS,
            params={"path": "a.py"},
            workflow=workflow,
        )
        done = await operations.wait(record.id)
        seen = []
        while (event := await tab.next(0.05)) is not None:
            seen.append(event.data)
    assert done.state == "succeeded"
    assert done.result == {"job_id": 42}
    assert [s.state for s in done.steps] == ["succeeded", "succeeded"]
    assert seen[0]["state"] == "running" and seen[-1]["state"] == "succeeded"
    # The browser words the title and each step's message from a code and its parameters;
    # the English is there for the magics and the logs.
    assert seen[0]["title"] == "Train a"
    assert (seen[0]["title_code"], seen[0]["title_params"]) == ("TRAIN", {"job_name": "a"})
    half_way = [s for e in seen for s in e["steps"] if s["message_code"] == "FILES_SENT"]
    assert half_way[0]["message_params"] == {"done": 1, "total": 2}
    assert half_way[0]["message"] == "1/2 files"


async def test_an_upstream_failure_is_recorded_with_its_code_and_step(tmp_path):
    operations = Operations(EventBus(), tmp_path / "operations.json")

    async def workflow(progress):
        async with progress.step("upload"):
            raise AuthError(
                "token expired", status=401, error_code="ModelArts.0202", request_id="r-9"
            )

    record = start(operations, workflow)
    done = await operations.wait(record.id)
    assert done.state == "failed"
    assert done.error["code"] == "AUTH_FAILED"
    assert done.error["upstream"]["error_code"] == "ModelArts.0202"
    assert done.error["upstream"]["request_id"] == "r-9"
    assert [s.state for s in done.steps] == ["failed", "pending"]


async def test_cancel_stops_a_running_operation(tmp_path):
    operations = Operations(EventBus(), tmp_path / "operations.json")
    started = asyncio.Event()

    async def workflow(progress):
        async with progress.step("upload"):
            started.set()
            await asyncio.Event().wait()
        return {}

    record = start(operations, workflow)
    await asyncio.wait_for(started.wait(), 5)
    await operations.cancel(record.id)
    assert operations.get(record.id).state == "cancelled"


async def test_operations_running_when_the_server_stopped_come_back_interrupted(tmp_path):
    path = tmp_path / "operations.json"
    operations = Operations(EventBus(), path)
    started = asyncio.Event()

    async def workflow(progress):
        async with progress.step("upload"):
            started.set()
            await asyncio.Event().wait()
        return {}

    record = operations.start(
        kind="train",
        title=message("TRAIN", job_name="t"),
        profile="local",
        steps=STEPS,
        params={"path": "a.py"},
        workflow=workflow,
    )
    await asyncio.wait_for(started.wait(), 5)
    stored = json.loads(path.read_text())  # what a killed server leaves behind
    assert stored[0]["state"] == "running"

    restarted = Operations(EventBus(), path)
    again = restarted.get(record.id)
    assert again.state == "interrupted"
    assert again.params == {"path": "a.py"}
    await operations.close()
