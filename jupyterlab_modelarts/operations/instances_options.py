"""What the "New notebook" form offers for each API: images or profiles, flavors with their
details, storage kinds and the auto-stop range in the API's own unit."""

from __future__ import annotations

from typing import Any

from ..cloud.modelarts import ModelArts
from ..cloud.pai import PaiDsw
from .accounts import Accounts
from .instances import check_api, proposed_obs_folder

#: DevEnviron has no profile listing API: the documented values (004 §4.1 and 000); the
#: region decides which exist, and the create call says so when one does not.
DEVENV_PROFILES = (
    "Multi-Engine 2.0 (python3)",
    "Multi-Engine 1.0 (python3)-cpu",
    "Multi-Engine 1.0 (python3)-gpu",
    "Python3",
    "Python3-gpu",
    "Python2",
    "Python2-gpu",
    "TF-2.1.0&Pytorch-1.4.0-python3.6",
    "Ascend-Powered-Engine 1.0 (python3)",
)
#: C40/C83: seconds for the old API; C41: milliseconds for the new one.
DEVENV_AUTO_STOP = {"unit": "s", "min": 3600, "max": 86400}
NOTEBOOK_AUTO_STOP = {"unit": "ms", "min": 3_600_000, "max": 86_400_000}


async def instance_options(
    accounts: Accounts, api: str, obs_folder: str | None = None
) -> dict[str, Any]:
    """``obs_folder`` (the extension's template) gives DevEnviron's proposed OBS folder: the
    folder an instance on OBS storage gets when the form leaves it empty."""
    profile = accounts.active()
    checked = check_api(profile, api)
    workspace_id = accounts.workspace_id(profile)
    if checked == "pai":
        return {
            "api": checked,
            "images": [],
            "flavors": await _pai_flavors(await accounts.pai(profile)),
            "storage": [],
            "auto_stop": None,
            "workspace_id": None,
        }
    client = await accounts.modelarts(profile)
    flavors = await _modelarts_flavors(client)
    if checked == "devenv":
        return {
            "api": checked,
            "images": [{"id": name, "name": name} for name in DEVENV_PROFILES],
            "flavors": flavors,
            "storage": ["obs", "evs"],
            "auto_stop": DEVENV_AUTO_STOP,
            "workspace_id": workspace_id,
            "obs_folder": (await proposed_obs_folder(accounts, obs_folder) if obs_folder else None),
        }
    return {
        "api": checked,
        "images": await _notebook_images(client),
        "flavors": flavors,
        "storage": ["EVS", "EFS"],
        "auto_stop": NOTEBOOK_AUTO_STOP,
        "workspace_id": workspace_id,
    }


async def _modelarts_flavors(client: ModelArts) -> list[dict[str, Any]]:
    page = await client.notebooks.flavors(limit=100)
    flavors = []
    for flavor in page.flavors:
        extra = flavor.model_extra or {}
        gpu = extra.get("gpu") or {}
        memory_mib = extra.get("memory")
        flavors.append(
            {
                "id": flavor.id or flavor.name,
                "name": flavor.name or flavor.id,
                "description": flavor.description or "",
                "category": flavor.category,
                "cpu": extra.get("vcpus"),
                "gpu": gpu.get("gpu") or 0,
                "gpu_type": gpu.get("type"),
                "memory_gib": round(memory_mib / 1024, 1)
                if isinstance(memory_mib, (int, float))
                else None,
                "sold_out": bool(flavor.sold_out),
                "free": bool(extra.get("free")),
            }
        )
    return flavors


async def _notebook_images(client: ModelArts) -> list[dict[str, Any]]:
    page = await client.call("GET", "/images", query={"type": "BUILD_IN", "limit": 200})
    return [
        {
            "id": image.get("id"),
            "name": f"{image.get('name')}:{image.get('tag')}"
            if image.get("tag")
            else image["name"],
            "description": image.get("description") or "",
        }
        for image in (page or {}).get("data") or []
        if image.get("id")
    ]


async def _pai_flavors(dsw: PaiDsw) -> list[dict[str, Any]]:
    specs = []
    for accelerator in ("CPU", "GPU"):
        specs += (await dsw.ecs_specs(accelerator)).EcsSpecs
    return [
        {
            "id": spec.get("InstanceType"),
            "name": spec.get("InstanceType"),
            "description": "",
            "category": spec.get("AcceleratorType"),
            "cpu": spec.get("CPU"),
            "gpu": spec.get("GPU") or 0,
            "gpu_type": spec.get("GPUType") or None,
            "memory_gib": spec.get("Memory"),
            "sold_out": spec.get("IsAvailable") is False,
            "free": False,
        }
        for spec in specs
    ]
