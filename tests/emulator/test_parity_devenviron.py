"""DevEnviron (old API) answers as its documents do (issue 20): both error keys, profile ids,
and a real instance on OBS storage that keeps its server's files out of the user's bucket."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from instances_support import fast_config, wait_for

from jupyterlab_modelarts.emulator.config import EmulatorConfig

BUCKET = "notebook-bucket"


@pytest.fixture
def modelarts_local_config(tmp_path: Path) -> EmulatorConfig:
    return fast_config(tmp_path, modules={"instances": {"runtime": "jupyter"}})


@pytest.fixture
def api(modelarts_local: Any) -> Any:
    modelarts_local.obs.create_bucket(BUCKET)
    with httpx.Client(
        base_url=f"{modelarts_local.project_url}/demanager",
        headers={"X-Auth-Token": modelarts_local.token()},
        timeout=30,
    ) as client:
        yield client


def test_errors_carry_both_message_keys(api: Any) -> None:
    """001 sample: {"error_code": "ModelArts.6309", "error_message": "The instance does not
    exist."}; 004 §4 prints the same error as "error_msg": "The instance does not exist."."""
    missing = api.get("/instances/DE-7d558ef8-c73d-11ea-964c-0255ac100033")
    assert missing.status_code == 404
    assert missing.json() == {
        "error_code": "ModelArts.6309",
        "error_msg": "The instance does not exist.",
        "error_message": "The instance does not exist.",
    }


def test_an_obs_instance_keeps_its_server_files_out_of_the_bucket(
    api: Any, modelarts_local: Any
) -> None:
    """000 spec.storage "type": "obs": the instance works in the user's OBS path; Jupyter's
    runtime files (cookie secret, log) are Local ModelArts' business, not the bucket's. The
    profile shows an id, as 000's sample does ("id": "efa847c0-7359-11eb-b34f-0255ac100057")."""
    created = api.post(
        "/instances",
        json={
            "name": "obs-notebook",
            "profile_id": "Python3",
            "flavor": "modelarts.vm.cpu.2u",
            "spec": {"storage": {"type": "obs", "location": {"path": f"/{BUCKET}/work/"}}},
        },
    )
    assert created.status_code == 200, created.text
    profile = created.json()["profile"]
    assert str(uuid.UUID(profile["id"])) == profile["id"] and profile["name"] == "Python3"
    instance_id = created.json()["id"]
    running = wait_for(
        lambda: api.get(f"/instances/{instance_id}").json(),
        lambda shown: shown["status"] not in ("CREATING", "STARTING"),
        timeout=90,
    )
    assert running["status"] == "RUNNING", running
    bucket = modelarts_local.obs.local_path(f"/{BUCKET}/")
    written = sorted(str(path.relative_to(bucket)) for path in bucket.rglob("*"))
    assert written == ["work"]
