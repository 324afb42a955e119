"""Notebook instances to list and watch, created through our client (the runtime of Local
ModelArts' instances is simulated in benchmarks, see local_modelarts.py)."""

from __future__ import annotations

import asyncio

from jupyterlab_modelarts.cloud.modelarts import ModelArts

IMAGE_ID = "e1a07296-22a8-4f05-8bc8-e936c8e54090"  # a built-in image of Local ModelArts


def notebook_body(index: int) -> dict[str, object]:
    return {
        "name": f"bench-{index}",
        "flavor": "modelarts.vm.cpu.2u",
        "image_id": IMAGE_ID,
        "volume": {"category": "efs", "ownership": "managed", "capacity": 50},
    }


async def create_notebooks(ma: ModelArts, count: int) -> list[str]:
    """Create ``count`` instances and wait until every one runs; their ids."""
    created = await asyncio.gather(*(ma.notebooks.create(notebook_body(i)) for i in range(count)))
    for notebook in created:
        await ma.notebooks.wait(notebook.id, timeout=120, interval=0.2)
    return [notebook.id for notebook in created]
