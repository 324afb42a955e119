"""The subcommands added for issue 20 (every seed operation reachable from a cell), run as the
magic runs them, in this process on Local ModelArts (the in-process path of direct.py)."""

from __future__ import annotations

import json
import shlex
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SCRIPT, isolated_environment

from jupyterlab_modelarts.magics.commands import Context
from jupyterlab_modelarts.magics.direct import DirectApi
from jupyterlab_modelarts.magics.errors import MagicError
from jupyterlab_modelarts.magics.magic import BY_NAME
from jupyterlab_modelarts.magics.parsing import split_command_line

DEADLINE = 60


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DirectApi]:
    home = tmp_path_factory.mktemp("magics-home")
    (home / "config").mkdir()
    work = home / "work"
    work.mkdir()
    # A folder of its own: the server root itself is no code folder.
    (work / "job").mkdir()
    (work / "job" / "train.py").write_text(SCRIPT)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in isolated_environment(home).items():
            patch.setenv(name, value)
        patch.chdir(work)
        direct = DirectApi()
        try:
            yield direct
        finally:
            direct.close()


def magic(api: DirectApi, line: str) -> Any:
    """What ``%modelarts <line>`` returns (the parsing and the call of magic.py)."""
    command = split_command_line(line)
    subcommand = BY_NAME[command.name]
    args = subcommand.parser().parse_args(command.arguments)
    return subcommand.run(Context(api, None, command.passthrough), args)


def cell_magic(api: DirectApi, line: str, cell: str) -> Any:
    """What ``%%modelarts <line>`` with ``cell`` returns."""
    command = split_command_line(line)
    subcommand = BY_NAME[command.name]
    args = subcommand.parser().parse_args(command.arguments)
    return subcommand.run(Context(api, cell, command.passthrough), args)


def output_of(api: DirectApi, job: str) -> str:
    return str(magic(api, f"job {job}")[0]["train_url"])


def wait_until(fetch, done):
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        value = fetch()
        if done(value):
            return value
        time.sleep(0.2)
    raise AssertionError(f"never reached: {value}")


def test_training_jobs_configs_and_boards(api: DirectApi, tmp_path: Path) -> None:
    launched = magic(api, "train job/train.py --name magic-job --save-config magic-cfg")
    job = launched["job_name"]
    wait_until(
        lambda: magic(api, f"job {job}")[0]["status_name"], lambda s: s in ("completed", "failed")
    )

    assert [c["config_name"] for c in magic(api, "configs")] == ["magic-cfg"]
    saved = magic(api, "config magic-cfg")
    assert saved["config_name"] == "magic-cfg"
    replaced = {
        key: saved[key]
        for key in ("worker_server_num", "app_url", "boot_file_url", "spec_id", "engine_id")
    }
    changed = cell_magic(
        api, "update-config magic-cfg", json.dumps({**replaced, "data_url": output_of(api, job)})
    )
    assert changed["data_url"] == output_of(api, job)
    magic(api, "delete-config magic-cfg")
    assert magic(api, "configs") == []

    magic(api, f"describe {job} {shlex.quote('a described job')}")
    described = wait_until(
        lambda: next(j for j in magic(api, "jobs") if j["job_name"] == job)["job_desc"],
        lambda text: text == "a described job",
    )
    assert described == "a described job"
    assert magic(api, f"log-files {job}") == [f"{job}.0"]

    output = magic(api, f"job {job}")[0]["train_url"]
    created = magic(api, f"board create magic-board {output}")
    assert created["job_name"] == "magic-board"
    assert magic(api, "board describe magic-board curves")["job_desc"] == "curves"
    assert magic(api, "board show magic-board")["train_url"] == output
    assert magic(api, "board stop magic-board")["status_name"]
    magic(api, "board delete magic-board")
    assert magic(api, "boards") == []

    assert magic(api, "algorithms")
    version = magic(api, f"job {job}")[0]["version_name"]
    assert magic(api, f"version {job} {version}")["version_name"] == version
    magic(api, f"delete-version {job} {version}")
    assert magic(api, f"job {job}") == []
    magic(api, f"delete-job {job}")
    wait_until(lambda: [j["job_name"] for j in magic(api, "jobs")], lambda names: job not in names)


def test_workspaces_from_create_to_delete(api: DirectApi) -> None:
    created = magic(api, "workspace create magic-ws --desc ours")
    workspace_id = created["id"]
    assert magic(api, f"workspace show {workspace_id}")["description"] == "ours"
    magic(api, f"workspace update {workspace_id} --desc theirs")
    assert magic(api, f"workspace show {workspace_id}")["description"] == "theirs"
    quotas = magic(api, f"workspace quotas {workspace_id}")
    resource = quotas[0]["resource"]
    changed = magic(api, f"workspace set-quota {workspace_id} --resource {resource} --quota 5")
    assert next(q for q in changed if q["resource"] == resource)["quota"] == 5
    assert magic(api, f"workspace delete {workspace_id}")["workspace_id"] == workspace_id


def test_services_side_subcommands(api: DirectApi) -> None:
    assert [c["cluster_name"] for c in magic(api, "clusters")] == ["local-cluster"]
    assert "modelarts.vm.cpu.2u" in [s["specification"] for s in magic(api, "service-specs")]
    lines = (
        "service nope",
        "monitor nope",
        "service-logs nope",
        "events nope",
        "edge-node nope n1 running",
        "model nope:1.0.0",
    )
    for line in lines:
        with pytest.raises(MagicError) as missing:
            magic(api, line)
        assert missing.value.code == "NOT_FOUND", line
    with pytest.raises(MagicError) as missing:
        magic(api, "delete-model nope:1.0.0")
    assert missing.value.code == "NOT_FOUND"


def test_a_devenviron_instance_is_updated(api: DirectApi) -> None:
    """DE-4 (001: modify description and auto stop), as ``notebooks update``."""
    magic(api, "notebooks create magic-de --api devenv --desc first")
    updated = magic(api, "notebooks update magic-de --desc second --auto-stop 2")
    assert updated["description"] == "second"
    assert updated["auto_stop"]["duration_ms"] == 2 * 3600 * 1000
    with pytest.raises(MagicError) as usage:
        magic(api, "notebooks update magic-de")
    assert usage.value.code == "USAGE"
