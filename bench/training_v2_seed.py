"""v2 training jobs to list, created through our client: a one-line script on Local ModelArts'
OBS, run to the end (the list shows finished jobs as the cloud does)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from jupyterlab_modelarts.cloud.credentials import AccessKey
from jupyterlab_modelarts.cloud.modelarts import ModelArts
from jupyterlab_modelarts.cloud.obs import ObsTransfer

BUCKET = "bench-training"


async def create_v2_jobs(ma: ModelArts, credentials: AccessKey, endpoint: str, count: int) -> None:
    async with ObsTransfer(credentials, endpoint=endpoint) as obs:
        await obs.ensure_bucket(BUCKET)
        with tempfile.TemporaryDirectory() as folder:
            script = Path(folder) / "train.py"
            script.write_text("print('done')\n")
            await obs.upload_file(script, f"obs://{BUCKET}/code/")
    engine = (await ma.training_v2.engines()).items[0].engine_id
    flavor = (await ma.training_v2.flavors()).flavors[0].flavor_id
    for index in range(count):
        job = await ma.training_v2.create(
            metadata={"name": f"bench-v2-{index}"},
            algorithm={
                "code_dir": f"obs://{BUCKET}/code/",
                "boot_file": f"obs://{BUCKET}/code/train.py",
                "engine": {"engine_id": engine},
                "outputs": [
                    {"name": "train_url", "remote": {"obs": {"obs_url": f"/{BUCKET}/out/{index}/"}}}
                ],
            },
            spec={"resource": {"flavor_id": flavor, "node_count": 1}},
        )
        await ma.training_v2.wait(job.id, timeout=120, interval=0.2)
