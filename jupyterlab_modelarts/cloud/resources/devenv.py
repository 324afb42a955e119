"""``ma.devenv``: development environment instances of the old DevEnviron API (DE-1 ... DE-6)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any, get_args

from ..errors import ValidationError
from ..paging import Page, first, paginate
from ..policy import CallKind
from ..schemas.devenv import (
    DEV_ENV_SETTLED,
    DevEnvAction,
    DevEnvActionResult,
    DevEnvCreate,
    DevEnvDeleted,
    DevEnvInstance,
    DevEnvList,
    DevEnvListQuery,
    DevEnvUpdate,
)
from ..waiters import wait_until
from .base import ApiGroup

_PATH = "/demanager/instances"


class DevEnvironments(ApiGroup):
    async def create(
        self, request: DevEnvCreate | Mapping[str, Any] | None = None, **fields: Any
    ) -> DevEnvInstance:
        """DE-1. Names are unique (ModelArts.6301), so a create whose outcome is unknown is
        looked up by name before it is sent again."""
        body = DevEnvCreate.parse(request, **fields)
        return await self._request(
            DevEnvInstance,
            "POST",
            _PATH,
            body=body,
            kind=CallKind.CREATE,
            reconcile=lambda: self.find(body.name),
        )

    async def list(
        self, query: DevEnvListQuery | Mapping[str, Any] | None = None, **filters: Any
    ) -> DevEnvList:
        """DE-2 (``limit`` 0, the default, returns every instance)."""
        return await self._request(
            DevEnvList, "GET", _PATH, query=DevEnvListQuery.parse(query, **filters)
        )

    def iterate(self, page_size: int = 100, **filters: Any) -> AsyncIterator[DevEnvInstance]:
        async def fetch(index: int) -> Page[DevEnvInstance]:
            page = await self.list(offset=index * page_size, limit=page_size, **filters)
            return Page(page.instances, page.total_count)

        return paginate(fetch, page_size)

    async def find(self, name: str) -> DevEnvInstance | None:
        return await first(self.iterate(), lambda instance: instance.name == name)

    async def get(self, instance_id: str) -> DevEnvInstance:
        """DE-3."""
        return await self._request(DevEnvInstance, "GET", f"{_PATH}/{instance_id}")

    async def update(
        self,
        instance_id: str,
        request: DevEnvUpdate | Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> DevEnvInstance:
        """DE-4: description and auto stop."""
        return await self._request(
            DevEnvInstance,
            "PUT",
            f"{_PATH}/{instance_id}",
            body=DevEnvUpdate.parse(request, **fields),
            kind=CallKind.UPDATE,
        )

    async def delete(self, instance_id: str) -> DevEnvDeleted:
        """DE-5 (a running instance must be stopped first: ModelArts.6304)."""
        return await self._request(
            DevEnvDeleted, "DELETE", f"{_PATH}/{instance_id}", kind=CallKind.DELETE
        )

    async def action(self, instance_id: str, action: DevEnvAction) -> DevEnvActionResult:
        """DE-6: start, stop, restart, queue or dequeue."""
        if action not in get_args(DevEnvAction):
            raise ValidationError(
                f"must be one of {', '.join(get_args(DevEnvAction))}", field="action"
            )
        return await self._request(
            DevEnvActionResult,
            "POST",
            f"{_PATH}/{instance_id}/action",
            body={"action": action},
            kind=CallKind.ACTION,
        )

    async def start(self, instance_id: str) -> DevEnvActionResult:
        return await self.action(instance_id, "start")

    async def stop(self, instance_id: str) -> DevEnvActionResult:
        return await self.action(instance_id, "stop")

    async def restart(self, instance_id: str) -> DevEnvActionResult:
        return await self.action(instance_id, "restart")

    async def wait(
        self, instance_id: str, statuses: frozenset[str] = DEV_ENV_SETTLED, **options: Any
    ) -> DevEnvInstance:
        """Poll until the instance's status is in ``statuses`` (by default a settled one)."""
        return await wait_until(
            lambda: self.get(instance_id),
            lambda instance: instance.status in statuses,
            key=lambda instance: instance.status,
            describe=f"dev environment {instance_id}",
            **options,
        )
