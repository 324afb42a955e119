"""Refusals of the operations layer that a REST test reaches only with much set-up: each carries
a code and the values its English is built from (the browser words them)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from jupyterlab_modelarts.cloud.credentials import AccessKey
from jupyterlab_modelarts.events import EventBus
from jupyterlab_modelarts.operations import deploy, storage, training, training_output, training_v2
from jupyterlab_modelarts.operations.code_folder import notebook_to_script
from jupyterlab_modelarts.operations.errors import OperationError
from jupyterlab_modelarts.operations.messages import message
from jupyterlab_modelarts.operations.paths import confine
from jupyterlab_modelarts.operations.tasks import Operations


def refusal(error: pytest.ExceptionInfo[OperationError]) -> tuple[str, dict[str, Any] | None]:
    return error.value.code, error.value.params


def start(operations: Operations, kind: str, workflow, operation_id: str | None = None):
    return operations.start(
        kind=kind,
        title=message("TRAIN", job_name="t"),
        profile="local",
        steps=[("create", "Create job")],
        params={},
        workflow=workflow,
        operation_id=operation_id,
    )


async def test_operations_refuse_what_their_state_or_kind_does_not_allow(tmp_path):
    operations = Operations(EventBus(), tmp_path / "operations.json")
    release = asyncio.Event()

    async def workflow(progress):
        await release.wait()
        return {}

    running = start(operations, training.LAUNCH, workflow)
    with pytest.raises(OperationError) as again:
        start(operations, training.LAUNCH, workflow, operation_id=running.id)
    assert refusal(again) == ("ALREADY_RUNNING", None)
    with pytest.raises(OperationError) as wrong:
        await deploy.resume_deploy(operations, None, running.id, None)
    assert refusal(wrong) == ("WRONG_KIND", {"kind": "deploy"})
    assert wrong.value.message == "not a deployment"
    release.set()
    await operations.wait(running.id)
    with pytest.raises(OperationError) as finished:
        await operations.cancel(running.id)
    assert refusal(finished) == ("NOT_RUNNING", None)

    deployment = start(operations, deploy.KIND, workflow)
    await operations.wait(deployment.id)
    with pytest.raises(OperationError) as wrong:
        await training.retry_launch(None, operations, None, None, deployment.id)
    assert refusal(wrong) == ("WRONG_KIND", {"kind": training.LAUNCH})


def test_a_notebook_that_does_not_convert_names_the_converters_reason(tmp_path):
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json")
    with pytest.raises(OperationError) as refused:
        notebook_to_script(broken)
    code, params = refusal(refused)
    assert code == "INVALID_NOTEBOOK" and params and params["error"]
    assert refused.value.message == f"cannot convert the notebook: {params['error']}"


def test_a_path_the_file_system_cannot_hold_names_the_path_and_the_reason(tmp_path):
    name = "n" * 300
    with pytest.raises(OperationError) as refused:
        confine(tmp_path, name)
    assert refusal(refused) == ("UNUSABLE_PATH", {"path": name, "error": "File name too long"})


async def test_job_ids_and_versions_that_cannot_be_are_refused_with_the_reason():
    with pytest.raises(OperationError) as refused:
        training.parse_job_id("twelve")
    assert refusal(refused) == ("NOT_A_WHOLE_NUMBER", None)
    with pytest.raises(OperationError) as refused:
        training_v2.parse_job_id("not a job")
    assert refusal(refused) == ("INVALID_ID", {"name": "job_id", "reason": "not_a_job_id"})
    with pytest.raises(OperationError) as refused:
        await training_v2.stop_version(None, None, "job", 2)
    assert refusal(refused) == ("NO_SUCH_VERSION", {"version": training_v2.VERSION_ID})


async def test_a_version_without_output_has_nothing_to_download(tmp_path):
    with pytest.raises(OperationError) as refused:
        await training_output.download_output(None, tmp_path, {}, {"folder": "out"})
    assert refusal(refused) == ("NO_OUTPUT", None)


class Accounts:
    """What ``obs_transfer`` asks of the accounts: the credentials and endpoints."""

    def __init__(self, credentials: object, endpoints: dict[str, str]) -> None:
        self._credentials = credentials
        self._endpoints = endpoints

    async def credentials(self, profile: object) -> object:
        return SimpleNamespace(credentials=self._credentials)

    async def endpoints(self, profile: object) -> dict[str, str]:
        return self._endpoints


async def test_obs_needs_an_access_key_and_an_endpoint():
    profile = SimpleNamespace(name="prod")
    with pytest.raises(OperationError) as refused:
        await storage.obs_transfer(Accounts(None, {}), profile)
    assert refusal(refused) == ("NO_ACCESS_KEY", {"name": "prod"})
    key = AccessKey(access_key="AK", secret_key="SK")
    with pytest.raises(OperationError) as refused:
        await storage.obs_transfer(Accounts(key, {}), profile)
    assert refusal(refused) == ("NO_OBS_ENDPOINT", {"name": "prod"})
