"""``ma.models``: import, list, inspect and delete models (MD-1 ... MD-4)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

from ..paging import Page, first, paginate
from ..policy import CallKind
from ..schemas.models import (
    MODEL_SETTLED,
    ModelCreate,
    ModelCreated,
    ModelDeleteResult,
    ModelDetail,
    ModelList,
    ModelListQuery,
    ModelSummary,
)
from ..waiters import wait_until
from .base import ApiGroup

_PATH = "/models"


class Models(ApiGroup):
    async def create(
        self, request: ModelCreate | Mapping[str, Any] | None = None, **fields: Any
    ) -> ModelCreated:
        """MD-1. Name and version are unique together (ModelArts.3002), so a create with an
        unknown outcome is looked up by both."""
        body = ModelCreate.parse(request, **fields)
        return await self._request(
            ModelCreated,
            "POST",
            _PATH,
            body=body,
            kind=CallKind.CREATE,
            reconcile=lambda: self.find(body.model_name, body.model_version),
        )

    async def list(
        self, query: ModelListQuery | Mapping[str, Any] | None = None, **filters: Any
    ) -> ModelList:
        """MD-2."""
        return await self._request(
            ModelList, "GET", _PATH, query=ModelListQuery.parse(query, **filters)
        )

    def iterate(self, page_size: int = 100, **filters: Any) -> AsyncIterator[ModelSummary]:
        """Every model (``offset`` is a page index in this API)."""

        async def fetch(index: int) -> Page[ModelSummary]:
            page = await self.list(offset=index, limit=page_size, **filters)
            return Page(page.models, page.total_count)

        return paginate(fetch, page_size)

    async def find(self, model_name: str, model_version: str) -> ModelSummary | None:
        return await first(
            self.iterate(model_name=model_name, model_version=model_version),
            lambda model: (model.model_name, model.model_version) == (model_name, model_version),
        )

    async def get(self, model_id: str) -> ModelDetail:
        """MD-3."""
        return await self._request(ModelDetail, "GET", f"{_PATH}/{model_id}")

    async def delete(self, model_id: str, *, cascade: bool = False) -> ModelDeleteResult:
        """MD-4. With ``cascade`` every version of the model's name goes too (at most 20 per
        call). Partial failures are in ``delete_failed_list``, not raised."""
        return await self._request(
            ModelDeleteResult,
            "DELETE",
            f"{_PATH}/{model_id}",
            query={"cascade": cascade or None},
            kind=CallKind.DELETE,
        )

    async def wait(
        self, model_id: str, statuses: frozenset[str] = MODEL_SETTLED, **options: Any
    ) -> ModelDetail:
        """Poll until the model is published (or failed)."""
        return await wait_until(
            lambda: self.get(model_id),
            lambda model: model.model_status in statuses,
            key=lambda model: model.model_status,
            describe=f"model {model_id}",
            **options,
        )
