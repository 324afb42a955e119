"""Where a profile's uploads go in OBS, and the OBS transfer client of a profile."""

from __future__ import annotations

from ..accounts.profiles import Profile
from ..cloud.credentials import AccessKey
from ..cloud.obs import ObsTransfer, split_obs_url
from .accounts import Accounts
from .errors import OperationError


async def obs_transfer(accounts: Accounts, profile: Profile) -> ObsTransfer:
    """An OBS client with the profile's access key (the caller closes it)."""
    resolved = await accounts.credentials(profile)
    credentials = resolved.credentials if resolved else None
    if not isinstance(credentials, AccessKey):
        raise OperationError(
            "NO_ACCESS_KEY",
            f"profile {profile.name!r} needs an access key (AK/SK) to upload to OBS",
            field="profile",
            params={"name": profile.name},
        )
    endpoint = (await accounts.endpoints(profile)).get("obs")
    if endpoint is None:
        raise OperationError(
            "NO_OBS_ENDPOINT",
            f"profile {profile.name!r} names no OBS endpoint and its cloud gives none",
            field="endpoints.obs",
            params={"name": profile.name},
        )
    return ObsTransfer(
        credentials, endpoint=endpoint, checkpoint_dir=accounts.store.directory / "obs-checkpoints"
    )


async def upload_folder(
    accounts: Accounts, profile: Profile, template: str, *parts: str
) -> tuple[ObsTransfer, str]:
    """The transfer client and the folder ``<template>/<parts...>/`` of the profile, its
    bucket created if missing. ``template`` may name ``{project_id}`` and ``{region}``."""
    client = await accounts.modelarts(profile)
    root = template.format(project_id=await client.project_id(), region=profile.region)
    bucket, prefix = split_obs_url(root)
    transfer = await obs_transfer(accounts, profile)
    try:
        await transfer.ensure_bucket(bucket, location=profile.region)
    except BaseException:
        await transfer.aclose()
        raise
    path = "/".join(part.strip("/") for part in (prefix, *parts) if part.strip("/"))
    return transfer, f"obs://{bucket}/{path}/"
