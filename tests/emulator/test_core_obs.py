"""Local OBS driven by the official esdk-obs-python client (AWS v2 and v4 signatures)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from obs import CompleteMultipartUploadRequest, CompletePart, ObsClient

from jupyterlab_modelarts.emulator.app import CORE_MODULES, load_modules
from jupyterlab_modelarts.emulator.background import BackgroundEmulator
from jupyterlab_modelarts.emulator.config import EmulatorConfig
from jupyterlab_modelarts.emulator.obs_storage import MIN_PART_BYTES, parse_obs_url


@pytest.fixture(scope="module")
def emulator(tmp_path_factory) -> Iterator[BackgroundEmulator]:
    config = EmulatorConfig(data_dir=tmp_path_factory.mktemp("obs-data"))
    with BackgroundEmulator(config, modules=load_modules(CORE_MODULES)) as running:
        yield running


@pytest.fixture(params=["v2", "v4"])
def client(request, emulator) -> Iterator[ObsClient]:
    c = emulator.config
    obs_client = ObsClient(
        access_key_id=c.access_key,
        secret_access_key=c.secret_key,
        server=emulator.base_url,
        signature=request.param,
        region=c.region,
    )
    yield obs_client
    obs_client.close()


@pytest.fixture
def bucket(client, request) -> str:
    name = "b-" + hashlib.md5(request.node.nodeid.encode()).hexdigest()[:12]
    assert client.createBucket(name).status == 200
    return name


def _ok(result):
    assert result.status < 300, (result.status, result.errorCode, result.errorMessage)
    return result


def test_put_get_head_delete_with_etags(client, bucket):
    data = b"hello \x00 world" * 100
    put = _ok(client.putContent(bucket, "dir/a b+c%.bin", data, headers=None))
    assert put.body.etag.strip('"') == hashlib.md5(data).hexdigest()

    got = _ok(client.getObject(bucket, "dir/a b+c%.bin", loadStreamInMemory=True))
    assert got.body.buffer == data
    head = _ok(client.getObjectMetadata(bucket, "dir/a b+c%.bin"))
    assert int(head.body.contentLength) == len(data)

    _ok(client.deleteObject(bucket, "dir/a b+c%.bin"))
    missing = client.getObject(bucket, "dir/a b+c%.bin", loadStreamInMemory=True)
    assert missing.status == 404 and missing.errorCode == "NoSuchKey"


def test_metadata_and_content_type_round_trip(client, bucket):
    from obs import PutObjectHeader

    headers = PutObjectHeader(contentType="text/csv")
    _ok(client.putContent(bucket, "t.csv", "a,b\n", metadata={"owner": "me"}, headers=headers))
    head = _ok(client.getObjectMetadata(bucket, "t.csv"))
    assert head.body.contentType == "text/csv"
    assert ("owner", "me") in head.header


def test_list_with_prefix_delimiter_marker_and_max_keys(client, bucket):
    for key in ["a/1", "a/2", "a/sub/3", "b/4", "c"]:
        _ok(client.putContent(bucket, key, key))
    top = _ok(client.listObjects(bucket, delimiter="/")).body
    assert [c.key for c in top.contents] == ["c"]
    assert [p.prefix for p in top.commonPrefixs] == ["a/", "b/"]

    under_a = _ok(client.listObjects(bucket, prefix="a/", delimiter="/")).body
    assert [c.key for c in under_a.contents] == ["a/1", "a/2"]
    assert [p.prefix for p in under_a.commonPrefixs] == ["a/sub/"]

    page = _ok(client.listObjects(bucket, max_keys=2)).body
    assert [c.key for c in page.contents] == ["a/1", "a/2"] and page.is_truncated
    rest = _ok(client.listObjects(bucket, marker=page.next_marker)).body
    assert [c.key for c in rest.contents] == ["a/sub/3", "b/4", "c"] and not rest.is_truncated


def test_copy_and_range(client, bucket):
    data = bytes(range(256)) * 10
    _ok(client.putContent(bucket, "src", data))
    _ok(client.copyObject(bucket, "src", bucket, "copy/dst"))
    from obs import GetObjectHeader

    ranged = _ok(
        client.getObject(
            bucket, "copy/dst", loadStreamInMemory=True, headers=GetObjectHeader(range="10-19")
        )
    )
    assert ranged.status == 206 and ranged.body.buffer == data[10:20]
    tail = _ok(
        client.getObject(
            bucket, "copy/dst", loadStreamInMemory=True, headers=GetObjectHeader(range="2550-")
        )
    )
    assert tail.body.buffer == data[2550:]
    beyond = client.getObject(
        bucket, "copy/dst", loadStreamInMemory=True, headers=GetObjectHeader(range="9999-")
    )
    assert beyond.status == 416


def test_multipart_upload_list_complete_and_abort(client, bucket):
    parts = [os.urandom(MIN_PART_BYTES), os.urandom(MIN_PART_BYTES), b"tail"]
    upload_id = _ok(client.initiateMultipartUpload(bucket, "big.bin")).body.uploadId
    etags = []
    for number, part in enumerate(parts, start=1):
        etags.append(_ok(client.uploadPart(bucket, "big.bin", number, upload_id, part)).body.etag)
    listed = _ok(client.listParts(bucket, "big.bin", upload_id)).body
    assert [p.partNumber for p in listed.parts] == [1, 2, 3]
    assert [p.size for p in listed.parts] == [len(p) for p in parts]

    request = CompleteMultipartUploadRequest(
        parts=[CompletePart(partNum=n, etag=e) for n, e in enumerate(etags, start=1)]
    )
    done = _ok(client.completeMultipartUpload(bucket, "big.bin", upload_id, request)).body
    md5s = b"".join(hashlib.md5(p).digest() for p in parts)
    assert done.etag.strip('"') == f"{hashlib.md5(md5s).hexdigest()}-3"
    got = _ok(client.getObject(bucket, "big.bin", loadStreamInMemory=True)).body.buffer
    assert got == b"".join(parts)

    aborted = _ok(client.initiateMultipartUpload(bucket, "gone.bin")).body.uploadId
    _ok(client.uploadPart(bucket, "gone.bin", 1, aborted, b"x"))
    _ok(client.abortMultipartUpload(bucket, "gone.bin", aborted))
    assert client.listParts(bucket, "gone.bin", aborted).errorCode == "NoSuchUpload"


def test_multipart_rejects_small_middle_parts(client, bucket):
    upload_id = _ok(client.initiateMultipartUpload(bucket, "small.bin")).body.uploadId
    etags = [
        _ok(client.uploadPart(bucket, "small.bin", n, upload_id, b"xx")).body.etag for n in (1, 2)
    ]
    request = CompleteMultipartUploadRequest(
        parts=[CompletePart(partNum=n, etag=e) for n, e in enumerate(etags, start=1)]
    )
    result = client.completeMultipartUpload(bucket, "small.bin", upload_id, request)
    assert result.status == 400 and result.errorCode == "EntityTooSmall"


def test_resumable_upload_and_download_with_checkpoints(client, bucket, tmp_path):
    source = tmp_path / "model.bin"
    source.write_bytes(os.urandom(5 * MIN_PART_BYTES + 123))
    uploaded = client.uploadFile(
        bucket,
        "models/model.bin",
        str(source),
        partSize=MIN_PART_BYTES,
        taskNum=3,
        enableCheckpoint=True,
        checkpointFile=str(tmp_path / "up.checkpoint"),
    )
    _ok(uploaded)
    target = tmp_path / "downloaded.bin"
    downloaded = client.downloadFile(
        bucket,
        "models/model.bin",
        str(target),
        partSize=MIN_PART_BYTES,
        taskNum=3,
        enableCheckpoint=True,
        checkpointFile=str(tmp_path / "down.checkpoint"),
    )
    _ok(downloaded)
    assert target.read_bytes() == source.read_bytes()


def test_buckets_create_head_delete(client, emulator):
    name = "lifecycle-" + hashlib.md5(str(id(client)).encode()).hexdigest()[:8]
    assert client.createBucket(name).status == 200
    assert client.createBucket(name).errorCode == "BucketAlreadyOwnedByYou"
    assert client.headBucket(name).status == 200
    _ok(client.putContent(name, "k", "v"))
    assert client.deleteBucket(name).errorCode == "BucketNotEmpty"
    _ok(client.deleteObject(name, "k"))
    _ok(client.deleteBucket(name))
    assert client.headBucket(name).status == 404
    assert client.createBucket("Bad_Name").errorCode == "InvalidBucketName"


def test_tampered_or_unknown_credentials_change_nothing(emulator, tmp_path):
    c = emulator.config
    good = ObsClient(
        access_key_id=c.access_key, secret_access_key=c.secret_key, server=emulator.base_url
    )
    _ok(good.createBucket("tamper-check"))
    for signature in ("v2", "v4"):
        wrong = ObsClient(
            access_key_id=c.access_key,
            secret_access_key="not-it",
            server=emulator.base_url,
            signature=signature,
            region=c.region,
        )
        result = wrong.putContent("tamper-check", "x", "y")
        assert (result.status, result.errorCode) == (403, "SignatureDoesNotMatch")
        stranger = ObsClient(
            access_key_id="UNKNOWN",
            secret_access_key="x",
            server=emulator.base_url,
            signature=signature,
            region=c.region,
        )
        assert stranger.putContent("tamper-check", "x", "y").errorCode == "InvalidAccessKeyId"
    anonymous = httpx.put(emulator.base_url + "/tamper-check/x", content=b"y")
    assert anonymous.status_code == 403
    assert b"<Code>AccessDenied</Code>" in anonymous.content
    assert anonymous.headers["X-Request-Id"]
    assert _ok(good.listObjects("tamper-check")).body.contents == []


def test_apiversion_probe_is_answered_unsigned(emulator):
    response = httpx.head(emulator.base_url + "/?apiversion")
    assert response.status_code == 200
    assert response.headers["x-obs-api"] == "3.0"


def test_python_api_maps_obs_urls_to_local_files(emulator):
    storage = emulator.ctx.obs
    storage.create_bucket("py-api")
    storage.write("obs://py-api/out/model.pkl", b"pickle")
    assert storage.read("/py-api/out/model.pkl") == b"pickle"
    path = storage.local_path("obs://py-api/out/model.pkl")
    assert path.read_bytes() == b"pickle"
    # a file written directly (as a training script does) is an object with an MD5 ETag
    (path.parent / "metrics.json").write_text("{}")
    assert storage.exists("obs://py-api/out/metrics.json")
    assert sorted(storage.list_keys("obs://py-api/out/")) == ["metrics.json", "model.pkl"]
    info = storage.head_object("py-api", "out/metrics.json")
    assert info.etag == hashlib.md5(b"{}").hexdigest()
    assert parse_obs_url("obs://py-api/out/") == ("py-api", "out/")
    assert parse_obs_url("/py-api/out/") == ("py-api", "out/")
    with pytest.raises(ValueError):
        parse_obs_url("py-api/out")


def test_restart_keeps_objects(tmp_path):
    config = EmulatorConfig(data_dir=tmp_path / "persist")
    with BackgroundEmulator(config, modules=load_modules(CORE_MODULES)) as first:
        client = ObsClient(
            access_key_id=config.access_key,
            secret_access_key=config.secret_key,
            server=first.base_url,
        )
        _ok(client.createBucket("kept"))
        _ok(client.putContent("kept", "k", "v", metadata={"m": "1"}))
    with BackgroundEmulator(config, modules=load_modules(CORE_MODULES)) as second:
        client = ObsClient(
            access_key_id=config.access_key,
            secret_access_key=config.secret_key,
            server=second.base_url,
        )
        assert _ok(client.getObject("kept", "k", loadStreamInMemory=True)).body.buffer == b"v"
        assert Path(config.data_dir, "state.sqlite3").exists()
