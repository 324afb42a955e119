"""What the pickers of the training dialog offer: resource specs, AI engines and built-in
algorithms of the active profile (SP-1, SP-2, TJ-12), in the shape the browser shows."""

from __future__ import annotations

from typing import Any, Literal

from ..cloud.schemas.training import Engine, ResourceSpec
from ..cloud.schemas.training_v2 import EngineV2, Flavor
from .accounts import Accounts
from .training_api import effective_training_api, require_v1

JobType = Literal["train", "inference"]


def describe_spec(spec: ResourceSpec) -> dict[str, Any]:
    """A spec with a one-line label (CPU cores, memory, GPUs) and its worker limit."""
    parts = []
    if spec.core:
        parts.append(f"{spec.core} vCPUs")
    if spec.cpu:
        parts.append(f"{spec.cpu} GiB")
    if spec.gpu_num:
        parts.append(f"{spec.gpu_num}x {spec.gpu_type or 'GPU'}")
    code = spec.spec_code or str(spec.spec_id)
    return {
        **spec.model_dump(mode="json"),
        "label": f"{code} ({', '.join(parts)})" if parts else code,
        "available": not spec.no_resource,
    }


def describe_engine(engine: Engine) -> dict[str, Any]:
    return {
        **engine.model_dump(mode="json"),
        "label": f"{engine.engine_name} {engine.engine_version}".strip(),
    }


def describe_flavor(flavor: Flavor) -> dict[str, Any]:
    """A v2 training flavor in the shape of a spec: its id is a name."""
    return {
        **flavor.model_dump(mode="json"),
        "spec_id": flavor.flavor_id,
        "spec_code": flavor.flavor_id,
        "label": f"{flavor.flavor_id} ({flavor.flavor_name})"
        if flavor.flavor_name
        else flavor.flavor_id,
        "available": True,
    }


def describe_engine_v2(engine: EngineV2) -> dict[str, Any]:
    return {
        **engine.model_dump(mode="json"),
        "label": f"{engine.engine_name} {engine.engine_version}".strip(),
    }


def _trains_through_v2(accounts: Accounts, job_type: JobType) -> bool:
    return job_type == "train" and effective_training_api(accounts) == "v2"


async def resource_specs(
    accounts: Accounts, job_type: JobType = "train", engine_id: int | None = None
) -> list[dict[str, Any]]:
    """Training specs (v1) or flavors (v2), or inference specs."""
    client = await accounts.modelarts()
    if _trains_through_v2(accounts, job_type):
        return [describe_flavor(f) for f in (await client.training_v2.flavors()).flavors]
    listing = await client.specs.resources(job_type=job_type, engine_id=engine_id)
    return [describe_spec(spec) for spec in listing.specs]


async def engines(accounts: Accounts, job_type: JobType = "train") -> list[dict[str, Any]]:
    client = await accounts.modelarts()
    if _trains_through_v2(accounts, job_type):
        return [describe_engine_v2(e) for e in (await client.training_v2.engines()).items]
    listing = await client.specs.engines(job_type=job_type)
    return [describe_engine(engine) for engine in listing.engines]


async def built_in_algorithms(
    accounts: Accounts, search: str | None = None
) -> list[dict[str, Any]]:
    require_v1(accounts, "built_in_algorithms")
    client = await accounts.modelarts()
    listing = await client.training.built_in_algorithms(search_content=search or None)
    return [model.model_dump(mode="json") for model in listing.models]
