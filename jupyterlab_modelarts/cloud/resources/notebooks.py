"""``ma.notebooks``: notebook instances of the new Notebooks API (create per seed 002; the rest
of the lifecycle in the official SDK's shapes)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Mapping
from typing import Any

from ..errors import ValidationError
from ..paging import Page, paginate
from ..policy import CallKind
from ..schemas.notebooks import (
    NOTEBOOK_SETTLED,
    Notebook,
    NotebookCreate,
    NotebookFlavorPage,
    NotebookLease,
    NotebookListQuery,
    NotebookPage,
    NotebookUpdate,
)
from ..waiters import wait_until
from .base import ApiGroup

_PATH = "/notebooks"
_CLOCK_SKEW_MS = 5000  # tolerated difference between our clock and the service's


class Notebooks(ApiGroup):
    async def create(
        self, request: NotebookCreate | Mapping[str, Any] | None = None, **fields: Any
    ) -> Notebook:
        """NB-1. Names may repeat, so a create with an unknown outcome is reconciled only with
        an instance of that name created after the request was sent."""
        body = NotebookCreate.parse(request, **fields)
        not_before = int(time.time() * 1000) - _CLOCK_SKEW_MS

        async def reconcile() -> Notebook | None:
            matches = [nb async for nb in self.iterate(name=body.name) if nb.name == body.name]
            fresh = [nb for nb in matches if (nb.create_at or 0) >= not_before]
            return max(fresh, key=lambda nb: nb.create_at or 0) if fresh else None

        return await self._request(
            Notebook, "POST", _PATH, body=body, kind=CallKind.CREATE, reconcile=reconcile
        )

    async def list(
        self, query: NotebookListQuery | Mapping[str, Any] | None = None, **filters: Any
    ) -> NotebookPage:
        return await self._request(
            NotebookPage, "GET", _PATH, query=NotebookListQuery.parse(query, **filters)
        )

    def iterate(self, page_size: int = 50, **filters: Any) -> AsyncIterator[Notebook]:
        """Every notebook (``offset`` counts records; ``limit`` is 10, 20 or 50)."""

        async def fetch(index: int) -> Page[Notebook]:
            page = await self.list(offset=index * page_size, limit=page_size, **filters)
            return Page(page.data, page.total)

        return paginate(fetch, page_size)

    async def get(self, notebook_id: str) -> Notebook:
        return await self._request(Notebook, "GET", f"{_PATH}/{notebook_id}")

    async def update(
        self,
        notebook_id: str,
        request: NotebookUpdate | Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> Notebook:
        return await self._request(
            Notebook,
            "PUT",
            f"{_PATH}/{notebook_id}",
            body=NotebookUpdate.parse(request, **fields),
            kind=CallKind.UPDATE,
        )

    async def delete(self, notebook_id: str) -> Notebook:
        return await self._request(
            Notebook, "DELETE", f"{_PATH}/{notebook_id}", kind=CallKind.DELETE
        )

    async def start(self, notebook_id: str, *, duration_ms: int | None = None) -> Notebook:
        """Start; ``duration_ms`` sets how long it runs before it stops by itself."""
        query = {"duration": duration_ms} if duration_ms is not None else None
        return await self._request(
            Notebook, "POST", f"{_PATH}/{notebook_id}/start", query=query, kind=CallKind.ACTION
        )

    async def stop(self, notebook_id: str) -> Notebook:
        return await self._request(
            Notebook, "POST", f"{_PATH}/{notebook_id}/stop", kind=CallKind.ACTION
        )

    async def lease(self, notebook_id: str) -> NotebookLease:
        return await self._request(NotebookLease, "GET", f"{_PATH}/{notebook_id}/lease")

    async def renew_lease(self, notebook_id: str, duration_ms: int) -> NotebookLease:
        """Extend the running time (milliseconds, counted from now)."""
        if duration_ms <= 0:
            raise ValidationError("must be a positive number of milliseconds", field="duration")
        return await self._request(
            NotebookLease,
            "PATCH",
            f"{_PATH}/{notebook_id}/lease",
            body={"duration": duration_ms},
            kind=CallKind.UPDATE,
        )

    async def flavors(self, **filters: Any) -> NotebookFlavorPage:
        return await self._request(NotebookFlavorPage, "GET", f"{_PATH}/flavors", query=filters)

    async def wait(
        self, notebook_id: str, statuses: frozenset[str] = NOTEBOOK_SETTLED, **options: Any
    ) -> Notebook:
        return await wait_until(
            lambda: self.get(notebook_id),
            lambda notebook: notebook.status in statuses,
            key=lambda notebook: notebook.status,
            describe=f"notebook {notebook_id}",
            **options,
        )
