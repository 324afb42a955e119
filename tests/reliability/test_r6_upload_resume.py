"""R6: an upload killed mid-way (SIGKILL) resumes from its checkpoint; the object is the source's
bytes, and nothing is visible under its key before the upload completes."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from jupyterlab_modelarts.cloud.credentials import AccessKey
from jupyterlab_modelarts.cloud.obs import ObsTransfer

MIB = 1024 * 1024
PART_SIZE = 5 * MIB
DEADLINE_SECONDS = 60

UPLOADER = """
import asyncio, sys
from pathlib import Path
from jupyterlab_modelarts.cloud.credentials import AccessKey
from jupyterlab_modelarts.cloud.obs import ObsTransfer

async def main(endpoint, ak, sk, checkpoints, source, target):
    async with ObsTransfer(AccessKey(ak, sk), endpoint=endpoint, part_size=5 * 1024 * 1024,
                           part_tasks=1, checkpoint_dir=Path(checkpoints)) as obs:
        await obs.upload_file(source, target)

asyncio.run(main(*sys.argv[1:]))
"""


def completed_parts(checkpoints: Path) -> tuple[str | None, int]:
    """The upload id and the number of finished parts the checkpoint records."""
    for record in checkpoints.glob("*.upload_record"):
        try:
            state = json.loads(record.read_text())
        except ValueError:
            continue  # being written
        parts = state.get("uploadParts") or []
        return state.get("uploadId"), sum(1 for part in parts if part.get("isCompleted"))
    return None, 0


def kill_half_way(local, checkpoints: Path, source: Path) -> None:
    """Upload ``source`` in another process and SIGKILL it once two parts are recorded."""
    config = local.config
    uploader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            UPLOADER,
            local.base_url,
            config.access_key,
            config.secret_key,
            str(checkpoints),
            str(source),
            "obs://resume/",
        ],
        env={**os.environ, "HOME": str(checkpoints.parent)},
    )
    deadline = time.monotonic() + DEADLINE_SECONDS
    try:
        while completed_parts(checkpoints)[1] < 2:
            assert uploader.poll() is None, "the upload ended before it could be killed"
            assert time.monotonic() < deadline, "no part was recorded in time"
            time.sleep(0.05)
    finally:
        os.kill(uploader.pid, signal.SIGKILL)
        uploader.wait()


async def test_a_killed_upload_resumes_from_its_checkpoint(modelarts_local, tmp_path, report):
    config = modelarts_local.config
    modelarts_local.obs.create_bucket("resume")
    source = tmp_path / "model.bin"
    source.write_bytes(os.urandom(8 * PART_SIZE + 1234))
    checkpoints = tmp_path / "checkpoints"
    # Slow parts down so that the uploader is surely killed half way.
    modelarts_local.add_fault(
        {
            "route": r"^/resume/model\.bin$",
            "kind": "latency",
            "delay_seconds": 0.3,
            "methods": ["PUT"],
        }
    )
    kill_half_way(modelarts_local, checkpoints, source)
    upload_id, done_before = completed_parts(checkpoints)
    report(f"R6: killed after {done_before} of 9 parts (upload {upload_id})")

    # Nothing under the final key while the upload is unfinished.
    assert not modelarts_local.obs.exists("obs://resume/model.bin")
    modelarts_local.clear_faults()
    # A fault that does nothing but count the part uploads of the resumed transfer.
    counter = modelarts_local.add_fault(
        {
            "route": r"^/resume/model\.bin$",
            "kind": "latency",
            "delay_seconds": 0,
            "methods": ["PUT"],
            "times": 1000,
        }
    )

    async with ObsTransfer(
        AccessKey(config.access_key, config.secret_key),
        endpoint=modelarts_local.base_url,
        part_size=PART_SIZE,
        checkpoint_dir=checkpoints,
    ) as obs:
        info = await obs.upload_file(source, "obs://resume/")
    assert info.size == source.stat().st_size
    stored = modelarts_local.obs.local_path("obs://resume/model.bin").read_bytes()
    assert hashlib.md5(stored).digest() == hashlib.md5(source.read_bytes()).digest()
    # Only the parts the checkpoint did not record were sent again, into the same upload.
    assert 1000 - counter.times == 9 - done_before
    assert not (modelarts_local.obs.uploads_dir / upload_id).exists()
    # ... and its checkpoint is gone.
    assert not list(checkpoints.glob("*.upload_record"))
