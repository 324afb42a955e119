"""``ma.workspaces``: workspaces and their quotas (WS-1 ... WS-7)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

from ..errors import ValidationError
from ..paging import Page, first, paginate
from ..policy import CallKind
from ..schemas.workspaces import (
    DEFAULT_WORKSPACE_ID,
    QuotaList,
    QuotaUpdate,
    Workspace,
    WorkspaceCreate,
    WorkspaceList,
    WorkspaceListQuery,
    WorkspaceRef,
    WorkspaceUpdate,
)
from .base import ApiGroup

_PATH = "/workspaces"


class Workspaces(ApiGroup):
    async def create(
        self, request: WorkspaceCreate | Mapping[str, Any] | None = None, **fields: Any
    ) -> Workspace:
        """WS-1; reconciled by name after an unknown outcome."""
        body = WorkspaceCreate.parse(request, **fields)
        return await self._request(
            Workspace,
            "POST",
            _PATH,
            body=body,
            kind=CallKind.CREATE,
            reconcile=lambda: self.find(body.name),
        )

    async def list(
        self, query: WorkspaceListQuery | Mapping[str, Any] | None = None, **filters: Any
    ) -> WorkspaceList:
        """WS-2."""
        return await self._request(
            WorkspaceList, "GET", _PATH, query=WorkspaceListQuery.parse(query, **filters)
        )

    def iterate(self, page_size: int = 100, **filters: Any) -> AsyncIterator[Workspace]:
        """Every workspace (``offset`` is a page index in this API: "Start page of the paging
        list")."""

        async def fetch(index: int) -> Page[Workspace]:
            page = await self.list(offset=index, limit=page_size, **filters)
            return Page(page.workspaces, page.total_count)

        return paginate(fetch, page_size)

    async def find(self, name: str) -> Workspace | None:
        return await first(self.iterate(name=name), lambda workspace: workspace.name == name)

    async def get(self, workspace_id: str) -> Workspace:
        """WS-4."""
        return await self._request(Workspace, "GET", f"{_PATH}/{workspace_id}")

    async def update(
        self,
        workspace_id: str,
        request: WorkspaceUpdate | Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> WorkspaceRef:
        """WS-5 (the default workspace "0" cannot be renamed)."""
        body = WorkspaceUpdate.parse(request, **fields)
        if workspace_id == DEFAULT_WORKSPACE_ID and body.name is not None:
            raise ValidationError("the default workspace cannot be renamed", field="name")
        return await self._request(
            WorkspaceRef, "PUT", f"{_PATH}/{workspace_id}", body=body, kind=CallKind.UPDATE
        )

    async def delete(self, workspace_id: str) -> WorkspaceRef:
        """WS-3."""
        return await self._request(
            WorkspaceRef, "DELETE", f"{_PATH}/{workspace_id}", kind=CallKind.DELETE
        )

    async def quotas(self, workspace_id: str) -> QuotaList:
        """WS-6."""
        return await self._request(QuotaList, "GET", f"{_PATH}/{workspace_id}/quotas")

    async def update_quotas(
        self,
        workspace_id: str,
        request: QuotaUpdate | Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> QuotaList:
        """WS-7: send only the changed quotas."""
        return await self._request(
            QuotaList,
            "PUT",
            f"{_PATH}/{workspace_id}/quotas",
            body=QuotaUpdate.parse(request, **fields),
            kind=CallKind.UPDATE,
        )
