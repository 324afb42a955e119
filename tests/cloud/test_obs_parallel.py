"""Folder uploads with many files at once: every object holds its source's bytes (ETag or MD5
metadata), no file is sent twice, a single PUT is checked by its ETag without a HEAD, and a
checkpoint never resumes an upload of content the file no longer has."""

from __future__ import annotations

import hashlib
import json
import os

import pytest

from jupyterlab_modelarts.cloud.errors import ServerError

MIB = 1024 * 1024
SMALL_FILES = 40


@pytest.fixture
def obs_options():
    return {"parallel_files": 8}


def counter(modelarts_local, route: str, method: str):
    """A fault that changes nothing but counts the matching requests (1000 - .times)."""
    return modelarts_local.add_fault(
        {"route": route, "kind": "latency", "delay_seconds": 0, "methods": [method],
         "times": 1000}
    )  # fmt: skip


def md5_of(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


async def test_parallel_folder_upload_stores_each_file_once_and_intact(
    obs, modelarts_local, tmp_path
):
    source = tmp_path / "model"
    files = {f"small/vocab-{index:03d}.bin": os.urandom(index * 97) for index in range(SMALL_FILES)}
    files |= {"large/w-0.bin": os.urandom(6 * MIB + 5), "large/w-1.bin": os.urandom(11 * MIB)}
    for name, data in files.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes(data)
    small_puts = counter(modelarts_local, r"^/models/par/small/", "PUT")
    small_heads = counter(modelarts_local, r"^/models/par/small/", "HEAD")
    large_heads = counter(modelarts_local, r"^/models/par/large/", "HEAD")
    seen = []

    report = await obs.upload_folder(source, "obs://models/par/", progress=seen.append)

    assert report.transferred == sorted(files)
    assert report.bytes == seen[-1].done == sum(map(len, files.values()))
    assert 1000 - small_puts.times == SMALL_FILES  # none sent twice
    assert 1000 - small_heads.times == 0  # the PUT's ETag is the check
    assert 1000 - large_heads.times == 2  # size and MD5 metadata of each multipart object
    storage = modelarts_local.obs
    for name, data in files.items():
        info = storage.head_object("models", f"par/{name}")
        assert storage.local_path(f"obs://models/par/{name}").read_bytes() == data
        assert info.metadata["md5"] == md5_of(data)
        if len(data) <= obs.part_size:
            assert info.etag == md5_of(data)
        else:
            assert info.etag.endswith("-2") or info.etag.endswith("-3")

    # Again: all unchanged; the listing's ETags prove the small ones, no HEAD, no PUT.
    (source / "small/vocab-007.bin").write_bytes(b"changed")
    again = await obs.upload_folder(source, "obs://models/par/")
    assert again.transferred == ["small/vocab-007.bin"]
    assert len(again.skipped) == len(files) - 1
    assert 1000 - small_puts.times == SMALL_FILES + 1
    assert 1000 - small_heads.times == 0
    assert 1000 - large_heads.times == 2 + 2
    assert storage.read("obs://models/par/small/vocab-007.bin") == b"changed"


async def test_a_checkpoint_of_other_content_is_aborted_not_resumed(obs, modelarts_local, tmp_path):
    path = tmp_path / "big.bin"
    first = os.urandom(12 * MIB)
    path.write_bytes(first)
    stat = path.stat()
    obs.part_tasks = 1
    modelarts_local.add_fault(
        {"route": r"^/models/stale/big\.bin$", "kind": "status", "status": 500,
         "methods": ["PUT"], "times": 4}
    )  # fmt: skip
    with pytest.raises(ServerError):
        await obs.upload_file(path, "obs://models/stale/")
    [record] = (tmp_path / "checkpoints").glob("*.upload_record")
    stale_upload = json.loads(record.read_text())["uploadId"]
    assert md5_of(first) in record.name

    # Same size and modification time, other bytes: the SDK alone would resume the old parts.
    second = os.urandom(12 * MIB)
    path.write_bytes(second)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    info = await obs.upload_file(path, "obs://models/stale/")

    assert info.size == len(second)
    storage = modelarts_local.obs
    assert storage.local_path("obs://models/stale/big.bin").read_bytes() == second
    assert storage.head_object("models", "stale/big.bin").metadata["md5"] == md5_of(second)
    assert not (storage.uploads_dir / stale_upload).exists()  # aborted
    assert not list((tmp_path / "checkpoints").glob("*.upload_record"))


async def test_transfers_run_in_their_own_threads(obs, tmp_path):
    path = tmp_path / "one.txt"
    path.write_bytes(b"x")
    await obs.upload_file(path, "obs://models/threads/")
    assert obs._executor is not None
    assert obs._executor._max_workers == obs.parallel_files + 2
    await obs.aclose()
    assert obs._executor is None
