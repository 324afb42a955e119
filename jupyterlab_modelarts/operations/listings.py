"""Watchers over the ModelArts lists that belong to the profile's workspace (training jobs,
models, services): one per profile and kind, paging through the whole list on every poll."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

from pydantic import BaseModel

from ..accounts.profiles import Profile
from ..cloud.modelarts import ModelArts
from .accounts import Accounts
from .watch import Item, ResourceWatcher, Watchers

Listing = Callable[[ModelArts, str], AsyncIterator[BaseModel]]


def as_item(model: BaseModel) -> Item:
    return model.model_dump(mode="json")


def workspace_watcher(
    accounts: Accounts,
    watchers: Watchers,
    *,
    kind: str,
    listing: Listing,
    is_transitional: Callable[[Item], bool],
    key: str,
    view: Callable[[BaseModel], Item] = as_item,
    profile: Profile | None = None,
) -> ResourceWatcher:
    """The watcher of ``kind`` for ``profile`` (default: the active one); ``listing(client,
    workspace_id)`` iterates the upstream list, ``view`` turns each entry into an item."""
    profile = profile or accounts.active()

    async def fetch() -> list[dict[str, Any]]:
        client = await accounts.modelarts(profile)
        workspace_id = accounts.workspace_id(profile)
        return [view(entry) async for entry in listing(client, workspace_id)]

    return watchers.get(kind, profile.name, fetch, is_transitional, key=key)
