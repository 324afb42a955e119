"""What every ModelArts API group shares: one typed request helper over the project's path."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from ..policy import CallKind
from ..schemas.base import RequestModel

M = TypeVar("M", bound=BaseModel)


class ProjectApi(Protocol):
    """The ModelArts connection an API group calls through (see :class:`ModelArts`)."""

    async def call(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        kind: CallKind = CallKind.READ,
        reconcile: Callable[[], Awaitable[Any]] | None = None,
        api_version: str = "v1",
    ) -> Any: ...

    async def call_url(self, method: str, url: str, *, body: Any = None) -> Any: ...


class ApiGroup:
    """Base of the API groups (``ma.training``, ``ma.services``...). Paths are relative to
    ``/{api_version}/{project_id}``."""

    #: The API generation of the group's paths (``v2`` for the current training API).
    api_version = "v1"

    def __init__(self, api: ProjectApi) -> None:
        self._api = api

    async def _request(
        self,
        response: type[M],
        method: str,
        path: str,
        *,
        query: RequestModel | Mapping[str, Any] | None = None,
        body: RequestModel | Mapping[str, Any] | None = None,
        kind: CallKind = CallKind.READ,
        reconcile: Callable[[], Awaitable[BaseModel | None]] | None = None,
    ) -> M:
        if isinstance(query, RequestModel):
            query = query.to_body()
        if isinstance(body, RequestModel):
            body = body.to_body()
        reconciled = _reconciler(reconcile) if reconcile is not None else None
        data = await self._api.call(
            method,
            path,
            query=query,
            body=body,
            kind=kind,
            reconcile=reconciled,
            api_version=self.api_version,
        )
        if isinstance(data, BaseModel):
            data = data.model_dump(by_alias=True)
        return response.model_validate(data if data is not None else {})

    async def _send(
        self,
        method: str,
        path: str,
        *,
        body: RequestModel | Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        kind: CallKind,
    ) -> Any:
        """A call whose answer carries nothing beyond success (returned raw)."""
        if isinstance(body, RequestModel):
            body = body.to_body()
        return await self._api.call(
            method, path, query=query, body=body, kind=kind, api_version=self.api_version
        )


def _reconciler(find: Callable[[], Awaitable[BaseModel | None]]) -> Callable[[], Awaitable[Any]]:
    async def reconcile() -> Any:
        found = await find()
        return found.model_dump(by_alias=True) if found is not None else None

    return reconcile
