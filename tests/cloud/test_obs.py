"""OBS transfers through esdk-obs-python against Local ModelArts' object store."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from jupyterlab_modelarts.cloud.errors import NotFoundError, ServerError, ValidationError

MIB = 1024 * 1024


def make_folder(root: Path) -> dict[str, bytes]:
    files = {
        "config.json": b'{"model_type": "Scikit_Learn"}',
        "customize_service.py": b"print('hi')\n",
        "weights/big.bin": os.urandom(11 * MIB + 123),
        "weights/empty.txt": b"",
    }
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return files


async def test_folder_round_trip_with_progress_and_skip(obs, tmp_path):
    source = tmp_path / "model"
    files = make_folder(source)
    seen = []
    report = await obs.upload_folder(source, "obs://models/mnist/", progress=seen.append)
    assert report.transferred == sorted(files)
    assert seen[-1].done == seen[-1].total == sum(map(len, files.values()))
    assert seen[-1].files_done == len(files)

    listed = {info.key: info.size for info in await obs.list("obs://models/mnist/")}
    assert listed == {f"mnist/{name}": len(data) for name, data in files.items()}

    (source / "config.json").write_bytes(b'{"model_type": "PyTorch"}')
    again = await obs.upload_folder(source, "/models/mnist/")
    assert again.transferred == ["config.json"]
    assert sorted(again.skipped) == sorted(set(files) - {"config.json"})

    target = tmp_path / "copy"
    down = await obs.download_folder("obs://models/mnist/", target)
    assert down.transferred == sorted(files)
    for name, data in files.items():
        expected = b'{"model_type": "PyTorch"}' if name == "config.json" else data
        assert (target / name).read_bytes() == expected

    assert await obs.delete("obs://models/mnist/") == len(files)
    assert await obs.list("obs://models/mnist/") == []


async def test_single_file_and_errors(obs, tmp_path):
    path = tmp_path / "model.pkl"
    path.write_bytes(b"pickle")
    info = await obs.upload_file(path, "obs://models/single/")
    assert (info.key, info.size) == ("single/model.pkl", 6)
    out = tmp_path / "out.pkl"
    await obs.download_file("obs://models/single/model.pkl", out)
    assert out.read_bytes() == b"pickle"

    with pytest.raises(NotFoundError):
        await obs.download_file("obs://models/single/missing.pkl", tmp_path / "x")
    with pytest.raises(ValidationError) as caught:
        await obs.upload_folder(tmp_path, "obs://models/no-slash")
    assert caught.value.field == "obs_folder"
    with pytest.raises(NotFoundError):
        await obs.upload_file(path, "obs://no-such-bucket/x/")


async def test_interrupted_upload_resumes_from_its_checkpoint(obs, modelarts_local, tmp_path):
    path = tmp_path / "big.bin"
    data = os.urandom(16 * MIB)
    path.write_bytes(data)
    # One part at a time: the first part fails on its try and the SDK's 3 retries (it retries
    # a request whose body it can read again: no progress callback), the other 3 get through.
    obs.part_tasks = 1
    modelarts_local.add_fault(
        {
            "route": r"^/models/resume/big\.bin$",
            "kind": "status",
            "status": 500,
            "methods": ["PUT"],
            "times": 4,
        }
    )
    with pytest.raises(ServerError):
        await obs.upload_file(path, "obs://models/resume/")
    checkpoints = list((tmp_path / "checkpoints").iterdir())
    assert len(checkpoints) == 1  # the parts already sent are recorded
    record = json.loads(checkpoints[0].read_text())
    assert [part["isCompleted"] for part in record["uploadParts"]] == [False, True, True, True]
    assert not modelarts_local.obs.exists("obs://models/resume/big.bin")

    seen = []
    info = await obs.upload_file(path, "obs://models/resume/", progress=seen.append)
    assert info.size == len(data)
    assert seen[-1].done == len(data)
    assert not (tmp_path / "checkpoints" / checkpoints[0].name).exists()
    out = tmp_path / "back.bin"
    await obs.download_file("obs://models/resume/big.bin", out)
    assert out.read_bytes() == data


async def test_a_bucket_created_by_another_transfer_in_between_is_ours(obs, modelarts_local):
    # A training launch and a deployment started together both find the bucket missing; the
    # second create then meets BucketAlreadyOwnedByYou, which means the bucket is there.
    modelarts_local.obs.create_bucket("shared")
    obs._client.headBucket = lambda bucket: SimpleNamespace(status=404)
    assert await obs.ensure_bucket("shared") is False
    assert await obs.ensure_bucket("fresh") is True
    with pytest.raises(ValidationError):
        await obs.ensure_bucket("Not_A_Valid_Bucket")
