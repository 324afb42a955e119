"""The current training API (v2) of Local ModelArts, driven by the official
huaweicloudsdkmodelarts client (its own request and response models, signatures verified):
engines, flavors, a job from code on OBS run to Completed, its log, events and metrics, a
description change, search, terminate and delete; and Local ModelArts playing Huawei Cloud
(v2 only) or T Cloud Public (v1 only)."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkmodelarts.v1 import ModelArtsClient
from huaweicloudsdkmodelarts.v1 import model as m
from instances_support import modelarts_client, wait_for

from jupyterlab_modelarts.emulator.background import BackgroundEmulator
from jupyterlab_modelarts.emulator.config import EmulatorConfig
from jupyterlab_modelarts.emulator.pytest_plugin import LocalModelArts, fast_test_modules

SCRIPT = b"""import argparse, os, time
parser = argparse.ArgumentParser()
parser.add_argument("--train_url")
parser.add_argument("--data_url")
parser.add_argument("--epochs")
parser.add_argument("--sleep", type=float, default=0)
args = parser.parse_args()
print("hello from v2, epochs", args.epochs, "task", os.environ.get("MA_TASK_NAME"), flush=True)
print("greeting", os.environ.get("GREETING"), flush=True)
time.sleep(args.sleep)
print("data", args.data_url, "out", args.train_url, flush=True)
"""


def plays(tmp_path: Path, cloud: str) -> EmulatorConfig:
    return EmulatorConfig(
        data_dir=tmp_path / "modelarts-local",
        speed=100.0,
        modules={**fast_test_modules(), "training": {"plays": cloud}},
    )


@pytest.fixture
def modelarts_local_config(tmp_path: Path) -> EmulatorConfig:
    return plays(tmp_path, "huaweicloud")


@pytest.fixture
def client(modelarts_local: Any) -> ModelArtsClient:
    obs = modelarts_local.obs
    obs.create_bucket("train-v2")
    obs.write("obs://train-v2/code/hello/train.py", SCRIPT)
    obs.write("obs://train-v2/data/rows.csv", b"1,2\n")
    return modelarts_client(modelarts_local)


def job_body(client: ModelArtsClient, name: str, sleep: float = 0) -> m.Job:
    engine = client.show_training_job_engines(m.ShowTrainingJobEnginesRequest()).items[0]
    flavors = client.show_training_job_flavors(m.ShowTrainingJobFlavorsRequest(flavor_type="CPU"))
    return m.Job(
        kind="job",
        metadata=m.JobMetadata(name=name, description="sdk test"),
        algorithm=m.JobAlgorithm(
            code_dir="obs://train-v2/code/hello/",
            boot_file="obs://train-v2/code/hello/train.py",
            engine=m.JobEngine(engine_id=engine.engine_id),
            parameters=[
                m.Parameters(name="epochs", value="3"),
                m.Parameters(name="sleep", value=str(sleep)),
            ],
            inputs=[
                m.Input(
                    name="data_url",
                    remote=m.InputDataInfo(obs=m.InputDataInfoObs("/train-v2/data/")),
                )
            ],
            outputs=[
                m.Output(name="train_url", remote=m.Remote(obs=m.RemoteObs("/train-v2/out/")))
            ],
            environments={"GREETING": "bonjour"},
        ),
        spec=m.Spec(
            resource=m.SpecResource(flavor_id=flavors.flavors[0].flavor_id, node_count=1),
            log_export_path=m.LogExportPath(obs_url="/train-v2/logs/"),
        ),
    )


def phase_of(client: ModelArtsClient, job_id: str) -> str:
    return client.show_training_job_details(
        m.ShowTrainingJobDetailsRequest(training_job_id=job_id)
    ).status.phase


def test_engines_and_flavors_are_listed(client: ModelArtsClient) -> None:
    engines = client.show_training_job_engines(m.ShowTrainingJobEnginesRequest())
    assert engines.total == len(engines.items) > 0
    assert {"PyTorch", "XGBoost-Sklearn"} <= {e.engine_name for e in engines.items}
    flavors = client.show_training_job_flavors(m.ShowTrainingJobFlavorsRequest())
    cpu = client.show_training_job_flavors(m.ShowTrainingJobFlavorsRequest(flavor_type="CPU"))
    assert cpu.flavors and all(f.flavor_type == "CPU" for f in cpu.flavors)
    assert len(flavors.flavors) > len(cpu.flavors)
    assert all(f.max_num >= 1 for f in flavors.flavors)


def test_job_from_obs_code_completes_with_its_output_in_the_log(
    client: ModelArtsClient, modelarts_local: Any
) -> None:
    created = client.create_training_job(
        m.CreateTrainingJobRequest(body=job_body(client, "hello-v2", sleep=1))
    )
    job_id = created.metadata.id
    assert created.metadata.name == "hello-v2" and created.status.phase == "Creating"

    assert wait_for(lambda: phase_of(client, job_id), lambda p: p == "Completed", 60) == (
        "Completed"
    )
    shown = client.show_training_job_details(
        m.ShowTrainingJobDetailsRequest(training_job_id=job_id)
    )
    assert shown.status.secondary_phase == "Completed"
    assert shown.algorithm.outputs[0].remote.obs.obs_url == "/train-v2/out/"
    assert shown.spec.resource.node_count == 1

    tasks = client.list_training_job_tasks(m.ListTrainingJobTasksRequest(training_job_id=job_id))
    assert [task.task for task in tasks.body] == ["worker-0"]
    preview = client.show_training_job_logs_preview(
        m.ShowTrainingJobLogsPreviewRequest(training_job_id=job_id, task_id="worker-0")
    )
    assert "hello from v2, epochs 3 task worker" in preview.content
    assert "greeting bonjour" in preview.content
    assert "data s3://train-v2/data/ out s3://train-v2/out/" in preview.content
    assert preview.full_size == len(preview.content.encode())
    lines = client.show_training_job_logs_from_aom(
        m.ShowTrainingJobLogsFromAomRequest(
            training_job_id=job_id, task_id="worker-0", base_line="0", lines=2, order="desc"
        )
    )
    assert lines.lines == 2 and lines.content.startswith("hello from v2")
    events = client.list_training_job_events(
        m.ListTrainingJobEventsRequest(training_job_id=job_id, limit=50)
    )
    assert events.events[0].message == "Job created"
    assert events.events[-1].message == "Job completed" and events.total == len(events.events)
    usage = client.show_training_job_metrics(
        m.ShowTrainingJobMetricsRequest(training_job_id=job_id, task_id="worker-0")
    )
    assert {metric.metric for metric in usage.metrics} == {"cpuUsage", "memUsage"}
    memory = next(metric for metric in usage.metrics if metric.metric == "memUsage")
    assert memory.value and 0 < memory.value[-1] < 100
    assert modelarts_local.obs.exists(f"obs://train-v2/logs/modelarts-job-{job_id}-worker-0.log")


def test_a_jobs_description_changes(client: ModelArtsClient) -> None:
    job_id = client.create_training_job(
        m.CreateTrainingJobRequest(body=job_body(client, "described", sleep=600))
    ).metadata.id
    client.change_training_job_description(
        m.ChangeTrainingJobDescriptionRequest(
            training_job_id=job_id, body=m.JobUpdateRequestBody(description="a new one")
        )
    )
    shown = client.show_training_job_details(
        m.ShowTrainingJobDetailsRequest(training_job_id=job_id)
    )
    assert shown.metadata.description == "a new one"
    with pytest.raises(ClientRequestException) as too_long:
        client.change_training_job_description(
            m.ChangeTrainingJobDescriptionRequest(
                training_job_id=job_id, body=m.JobUpdateRequestBody(description="x" * 257)
            )
        )
    assert too_long.value.status_code == 400 and "description" in too_long.value.error_msg
    client.stop_training_job(
        m.StopTrainingJobRequest(
            training_job_id=job_id, body=m.JobActionType(action_type="terminate")
        )
    )


def test_search_finds_jobs_by_name_and_delete_removes_them(client: ModelArtsClient) -> None:
    ids = [
        client.create_training_job(
            m.CreateTrainingJobRequest(body=job_body(client, name))
        ).metadata.id
        for name in ("alpha-job", "beta-job")
    ]
    found = client.list_training_jobs(
        m.ListTrainingJobsRequest(
            body=m.JobSearches(
                offset=0,
                limit=10,
                filters=[m.Filter(key="name", operator="like", value=["alpha"])],
            )
        )
    )
    assert found.total == 1 and found.items[0].metadata.name == "alpha-job"
    every = client.list_training_jobs(m.ListTrainingJobsRequest(body=m.JobSearches(limit=1)))
    assert every.total == 2 and len(every.items) == 1

    for job_id in ids:
        wait_for(partial(phase_of, client, job_id), lambda p: p == "Completed", 60)
        client.delete_training_job(m.DeleteTrainingJobRequest(training_job_id=job_id))
    with pytest.raises(ClientRequestException) as gone:
        phase_of(client, ids[0])
    assert gone.value.status_code == 404
    left = client.list_training_jobs(m.ListTrainingJobsRequest(body=m.JobSearches()))
    assert left.total == 0


def test_a_running_job_is_terminated(client: ModelArtsClient) -> None:
    job_id = client.create_training_job(
        m.CreateTrainingJobRequest(body=job_body(client, "sleepy", sleep=600))
    ).metadata.id
    wait_for(lambda: phase_of(client, job_id), lambda p: p == "Running", 60)
    client.stop_training_job(
        m.StopTrainingJobRequest(
            training_job_id=job_id, body=m.JobActionType(action_type="terminate")
        )
    )
    assert wait_for(lambda: phase_of(client, job_id), lambda p: p == "Terminated", 60) == (
        "Terminated"
    )


def test_bad_requests_name_the_field(client: ModelArtsClient) -> None:
    body = job_body(client, "bad")
    body.spec.resource.node_count = 99
    with pytest.raises(ClientRequestException) as too_many:
        client.create_training_job(m.CreateTrainingJobRequest(body=body))
    assert too_many.value.status_code == 400
    assert "spec.resource.node_count" in too_many.value.error_msg
    body = job_body(client, "bad")
    body.algorithm.boot_file = "obs://train-v2/elsewhere/train.py"
    with pytest.raises(ClientRequestException) as outside:
        client.create_training_job(m.CreateTrainingJobRequest(body=body))
    assert "algorithm.boot_file" in outside.value.error_msg


def test_a_forged_signature_creates_no_job(client: ModelArtsClient, modelarts_local: Any) -> None:
    forged = modelarts_client(modelarts_local, secret_key="not-the-secret-key-000000000000000000")
    with pytest.raises(ClientRequestException) as refused:
        forged.create_training_job(m.CreateTrainingJobRequest(body=job_body(client, "forged")))
    assert refused.value.status_code == 401
    listed = client.list_training_jobs(m.ListTrainingJobsRequest(body=m.JobSearches()))
    assert listed.total == 0


def test_playing_huawei_cloud_refuses_v1_training_as_its_gateway_does(
    client: ModelArtsClient,
) -> None:
    with pytest.raises(ClientRequestException) as refused:
        client.call_api(
            "/v1/{project_id}/training-jobs",
            "GET",
            header_params={"Content-Type": "application/json"},
            response_type="ShowWorkspaceResponse",
        )
    assert refused.value.status_code == 404
    assert refused.value.error_code == "APIG.0101"


def test_playing_t_cloud_public_refuses_v2_training(tmp_path: Path) -> None:
    with BackgroundEmulator(plays(tmp_path, "tcloudpublic")) as emulator:
        sdk = modelarts_client(LocalModelArts(emulator))
        with pytest.raises(ClientRequestException) as refused:
            sdk.show_training_job_engines(m.ShowTrainingJobEnginesRequest())
        assert refused.value.error_code == "APIG.0101"
        listed = sdk.call_api(
            "/v1/{project_id}/training-jobs",
            "GET",
            header_params={"Content-Type": "application/json"},
            response_type="ShowWorkspaceResponse",
        )
        assert json.loads(listed.raw_content)["jobs"] == []


def test_the_cli_flag_and_the_setting_choose_the_generations() -> None:
    from jupyterlab_modelarts.emulator.__main__ import build_parser, config_from_args

    parsed = build_parser().parse_args(["--plays", "huaweicloud"])
    assert config_from_args(parsed).training_apis() == {"v2"}
    assert EmulatorConfig().training_apis() == {"v1", "v2"}
    with pytest.raises(ValueError, match=r"modules\.training\.plays must be one of"):
        EmulatorConfig(modules={"training": {"plays": "azure"}})
