"""Uploads send only what the user meant: no hidden files, no Jupyter folders, no symlinks out
of the folder, never the whole server root or home; the dialogs' previews say what goes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from deploy_support import extension, finished_operation, isolated_config, write_iris_package

modelarts_config = pytest.fixture(isolated_config)


def write(root: Path, relative: str, text: str = "x") -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def plant_secrets(folder: Path, outside: Path) -> None:
    """What a folder of a home directory may hold that must never reach OBS."""
    write(folder, ".ssh/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----")
    write(folder, ".local/share/jupyter/modelarts/credentials.json", '{"sk": "secret"}')
    write(outside, "passwd", "root:x:0:0:root:/root:/bin/bash")
    os.symlink(outside / "passwd", folder / "passwd_link")


async def uploaded(serverapp, prefix: str) -> set[str]:
    """The object keys under ``prefix`` in every bucket of the embedded Local ModelArts."""
    local = await extension(serverapp).local_modelarts()
    buckets = local.ctx.obs.buckets_dir
    return {
        path.relative_to(bucket).as_posix()
        for bucket in buckets.iterdir()
        for path in bucket.rglob("*")
        if path.is_file() and path.relative_to(bucket).as_posix().startswith(prefix)
    }


async def test_training_uploads_neither_hidden_files_nor_links_out_of_the_folder(
    api, jp_root_dir, jp_serverapp, tmp_path
):
    project = jp_root_dir / "project"
    write(project, "train.py", "print('training')\n")
    write(project, "lib/util.py", "X = 1\n")
    plant_secrets(project, tmp_path / "outside")

    code, defaults = await api("GET", "training", "prefill", path="project/train.py")
    assert code == 200, defaults
    assert defaults["code_folder"] == "project"
    preview = defaults["code"]
    assert (preview["files"], preview["first_files"]) == (2, ["lib/util.py", "train.py"])
    assert {".ssh/", ".local/", "passwd_link"} <= set(preview["ignored_examples"])

    body = {key: defaults[key] for key in ("path", "job_name", "code_folder", "boot_file")}
    code, record = await api(
        "POST", "training", "jobs", body={**body, "spec_id": 2, "engine_id": 31}
    )
    assert code == 202, record
    record = await finished_operation(api, record["id"])
    assert record["state"] == "succeeded", record["error"]
    keys = await uploaded(jp_serverapp, "training/")
    code_keys = {key.split("/code/", 1)[1] for key in keys if "/code/" in key}
    assert code_keys == {"lib/util.py", "train.py"}, keys


async def test_a_file_directly_in_the_root_asks_for_a_code_folder(api, jp_root_dir):
    write(jp_root_dir, "train.py", "print('training')\n")
    write(jp_root_dir, ".ssh/id_rsa", "key")

    code, defaults = await api("GET", "training", "prefill", path="train.py")
    assert code == 200, defaults
    assert defaults["code_folder"] == "" and defaults["code"]["files"] == 0

    for folder in ({}, {"code_folder": "."}):
        body = {"path": "train.py", "job_name": "root-job", "spec_id": 2, "engine_id": 31}
        code, error = await api("POST", "training", "jobs", body={**body, **folder})
        assert code == 400, error
        assert error["error"]["field"] == "code_folder"
        assert error["error"]["code"] == "CODE_FOLDER_TOO_WIDE"


async def test_deploying_a_folder_uploads_no_link_out_of_it(
    api, jp_root_dir, jp_serverapp, tmp_path
):
    folder = write_iris_package(jp_root_dir / "iris")
    plant_secrets(folder / "model", tmp_path / "outside")

    code, found = await api("POST", "deployments", "inspect", body={"path": "iris"})
    assert code == 200, found
    assert found["upload"]["first_files"] == [
        "model/config.json", "model/customize_service.py", "model/iris.m",
    ]  # fmt: skip
    assert "model/passwd_link" in found["upload"]["ignored_examples"]

    body = {"path": "iris", "model_name": "iris", "model_version": "1.0.0",
            "model_type": "Scikit_Learn"}  # fmt: skip
    code, record = await api("POST", "deployments", body=body)
    assert code == 202, record
    record = await finished_operation(api, record["id"])
    assert record["state"] == "succeeded", record["error"]
    keys = await uploaded(jp_serverapp, "models/iris/")
    assert {key.rsplit("/model/", 1)[1] for key in keys} == {
        "config.json", "customize_service.py", "iris.m",
    }  # fmt: skip
