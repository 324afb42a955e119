"""Local OBS hashes a request body with SHA-256 only when an AWS v4 signature signed that hash,
and then still refuses a body that does not match it; MD5 (ETag, Content-MD5) always."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterator
from datetime import datetime, timezone

import httpx
import pytest

from jupyterlab_modelarts.emulator.app import CORE_MODULES, load_modules
from jupyterlab_modelarts.emulator.background import BackgroundEmulator
from jupyterlab_modelarts.emulator.config import EmulatorConfig
from jupyterlab_modelarts.emulator.obs import _BodySink, _signed_payload

BUCKET = "hashes"


@pytest.fixture(scope="module")
def emulator(tmp_path_factory) -> Iterator[BackgroundEmulator]:
    config = EmulatorConfig(data_dir=tmp_path_factory.mktemp("obs-hashes"))
    with BackgroundEmulator(config, modules=load_modules(CORE_MODULES)) as running:
        running.ctx.obs.create_bucket(BUCKET)
        yield running


def v4_put(emulator: BackgroundEmulator, key: str, body: bytes, payload: str,
           extra: dict[str, str] | None = None) -> httpx.Response:  # fmt: skip
    """PUT /bucket/key signed with AWS v4, declaring ``payload`` as x-amz-content-sha256."""
    config = emulator.config
    now = datetime.now(timezone.utc)
    long_date, date = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    host = emulator.base_url.removeprefix("http://")
    headers = {"host": host, "x-amz-content-sha256": payload, "x-amz-date": long_date,
               **{name.lower(): value for name, value in (extra or {}).items()}}  # fmt: skip
    names = sorted(headers)
    canonical = "\n".join(
        ("PUT", f"/{BUCKET}/{key}", "", "".join(f"{n}:{headers[n]}\n" for n in names),
         ";".join(names), payload)
    )  # fmt: skip
    scope = f"{date}/{config.region}/s3/aws4_request"
    to_sign = "\n".join(
        ("AWS4-HMAC-SHA256", long_date, scope, hashlib.sha256(canonical.encode()).hexdigest())
    )
    signing_key = ("AWS4" + config.secret_key).encode()
    for part in (date, config.region, "s3", "aws4_request"):
        signing_key = hmac.new(signing_key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(signing_key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["Authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={config.access_key}/{scope}, "
        f"SignedHeaders={';'.join(names)}, Signature={signature}"
    )
    return httpx.put(f"{emulator.base_url}/{BUCKET}/{key}", content=body, headers=headers)


def test_a_signed_payload_hash_is_checked(emulator):
    body = b"weights" * 100_000
    good = v4_put(emulator, "signed.bin", body, hashlib.sha256(body).hexdigest())
    assert good.status_code == 200, good.text
    assert good.headers["ETag"].strip('"') == hashlib.md5(body).hexdigest()

    bad = v4_put(emulator, "tampered.bin", body + b"!", hashlib.sha256(body).hexdigest())
    assert bad.status_code == 400
    assert "XAmzContentSHA256Mismatch" in bad.text
    assert not emulator.ctx.obs.exists(f"obs://{BUCKET}/tampered.bin")


def test_unsigned_payloads_still_get_their_md5_checked(emulator):
    body = b"vocab" * 10_000
    unsigned = v4_put(emulator, "unsigned.bin", body, "UNSIGNED-PAYLOAD")
    assert unsigned.status_code == 200, unsigned.text
    assert unsigned.headers["ETag"].strip('"') == hashlib.md5(body).hexdigest()
    assert emulator.ctx.obs.read(f"obs://{BUCKET}/unsigned.bin") == body

    wrong_md5 = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    bad = v4_put(emulator, "bad-md5.bin", body, "UNSIGNED-PAYLOAD", {"Content-MD5": wrong_md5})
    assert bad.status_code == 400
    assert "BadDigest" in bad.text
    assert not emulator.ctx.obs.exists(f"obs://{BUCKET}/bad-md5.bin")


@pytest.mark.parametrize(
    ("declared", "hashed"),
    [
        (None, False),
        ("UNSIGNED-PAYLOAD", False),
        ("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", False),
        (hashlib.sha256(b"").hexdigest(), True),
    ],
)
def test_sha256_is_computed_only_for_a_signed_payload(tmp_path, declared, hashed):
    request = httpx.Request("PUT", "http://127.0.0.1/b/k")
    if declared is not None:
        request.headers["x-amz-content-sha256"] = declared
    assert _signed_payload(request) is hashed
    sink = _BodySink((tmp_path / "body").open("wb"), sha256=_signed_payload(request))
    assert (sink.sha256 is not None) is hashed
    # Chunks smaller and larger than the sink's buffer (1 MiB): written and hashed in order.
    chunks = [b"abc", bytes(range(256)) * 5000, b"x" * (3 * 1024 * 1024), b"end"]
    for chunk in chunks:
        sink.write(chunk)
    body = b"".join(chunks)
    assert sink.close().read_bytes() == body
    assert sink.size == len(body)
    assert sink.md5.hexdigest() == hashlib.md5(body).hexdigest()
    if sink.sha256 is not None:
        assert sink.sha256.hexdigest() == hashlib.sha256(body).hexdigest()
    assert sink.close() == tmp_path / "body"  # closing twice (finish, then discard) is fine
