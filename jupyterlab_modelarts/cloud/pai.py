"""Alibaba Cloud PAI DSW instances: ``async with PaiDsw(PaiAccessKey(...), region=...) as dsw``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

from .auth import Acs3Auth
from .clouds import ALIBABA_CLOUD, default_endpoint
from .credentials import PaiAccessKey
from .errors import CloudError, error_from_response
from .paging import Page, first, paginate
from .policy import CallKind, RetryPolicy, Timeouts
from .schemas.pai import (
    PAI_SETTLED,
    PaiEcsSpecList,
    PaiInstance,
    PaiInstanceCreate,
    PaiInstanceList,
    PaiInstanceListQuery,
    PaiInstanceUpdate,
    PaiResult,
)
from .transport import HttpSession, ServiceClient
from .waiters import wait_until

API_VERSION = "2022-01-01"
_PATH = "/api/v2/instances"
M = TypeVar("M", bound=BaseModel)


def check_pai_body(status: int, headers: httpx.Headers, body: Any) -> CloudError | None:
    """PAI may answer HTTP 200 with ``"Success": false``."""
    if isinstance(body, Mapping) and body.get("Success") is False:
        return error_from_response(max(status, 400), headers, body, service="PAI-DSW")
    return None


class PaiDsw:
    """The DSW instance APIs of one Alibaba Cloud account and region."""

    def __init__(
        self,
        credentials: PaiAccessKey,
        *,
        region: str,
        endpoint: str | None = None,
        session: HttpSession | None = None,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        ca_bundle: str | None = None,
    ) -> None:
        self.region = region
        self._owns_session = session is None
        self.session = session or HttpSession(timeouts=timeouts, retry=retry, ca_bundle=ca_bundle)
        self._client = ServiceClient(
            self.session,
            endpoint or default_endpoint("pai", region, ALIBABA_CLOUD),
            Acs3Auth(credentials),
            service="PAI-DSW",
            default_headers={"x-acs-version": API_VERSION, "Accept": "application/json"},
            check_body=check_pai_body,
        )

    async def __aenter__(self) -> PaiDsw:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._owns_session:
            await self.session.aclose()

    async def _request(
        self,
        response: type[M],
        action: str,
        method: str,
        path: str,
        *,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        kind: CallKind = CallKind.READ,
        reconcile: Any = None,
    ) -> M:
        data = await self._client.call(
            method,
            path,
            query=query,
            body=body,
            kind=kind,
            headers={"x-acs-action": action},
            reconcile=reconcile,
        )
        return response.model_validate(data or {})

    async def create(
        self, request: PaiInstanceCreate | Mapping[str, Any] | None = None, **fields: Any
    ) -> PaiResult:
        """CreateInstance (seed 003); reconciled by ``InstanceName`` when one is given."""
        body = PaiInstanceCreate.parse(request, **fields)

        async def reconcile() -> dict[str, Any] | None:
            found = await self.find(body.InstanceName) if body.InstanceName else None
            return {"Success": True, "InstanceId": found.InstanceId} if found else None

        return await self._request(
            PaiResult,
            "CreateInstance",
            "POST",
            _PATH,
            body=body.to_body(),
            kind=CallKind.CREATE,
            reconcile=reconcile if body.InstanceName else None,
        )

    async def list(
        self, query: PaiInstanceListQuery | Mapping[str, Any] | None = None, **filters: Any
    ) -> PaiInstanceList:
        return await self._request(
            PaiInstanceList,
            "ListInstances",
            "GET",
            _PATH,
            query=PaiInstanceListQuery.parse(query, **filters).to_body(),
        )

    def iterate(self, page_size: int = 50, **filters: Any) -> AsyncIterator[PaiInstance]:
        async def fetch(index: int) -> Page[PaiInstance]:
            page = await self.list(PageNumber=index + 1, PageSize=page_size, **filters)
            return Page(page.Instances, page.TotalCount)

        return paginate(fetch, page_size)

    async def find(self, name: str) -> PaiInstance | None:
        return await first(
            self.iterate(InstanceName=name), lambda instance: instance.InstanceName == name
        )

    async def get(self, instance_id: str) -> PaiInstance:
        return await self._request(PaiInstance, "GetInstance", "GET", f"{_PATH}/{instance_id}")

    async def update(
        self,
        instance_id: str,
        request: PaiInstanceUpdate | Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> PaiResult:
        return await self._request(
            PaiResult,
            "UpdateInstance",
            "PUT",
            f"{_PATH}/{instance_id}",
            body=PaiInstanceUpdate.parse(request, **fields).to_body(),
            kind=CallKind.UPDATE,
        )

    async def start(self, instance_id: str) -> PaiResult:
        return await self._request(
            PaiResult, "StartInstance", "PUT", f"{_PATH}/{instance_id}/start", kind=CallKind.ACTION
        )

    async def stop(self, instance_id: str, *, save_image: bool | None = None) -> PaiResult:
        return await self._request(
            PaiResult,
            "StopInstance",
            "PUT",
            f"{_PATH}/{instance_id}/stop",
            query={"SaveImage": save_image},
            kind=CallKind.ACTION,
        )

    async def delete(self, instance_id: str) -> PaiResult:
        return await self._request(
            PaiResult, "DeleteInstance", "DELETE", f"{_PATH}/{instance_id}", kind=CallKind.DELETE
        )

    async def ecs_specs(self, accelerator_type: str, page_size: int = 100) -> PaiEcsSpecList:
        """ListEcsSpecs: the machine types an instance can run on (``CPU`` or ``GPU``)."""
        return await self._request(
            PaiEcsSpecList,
            "ListEcsSpecs",
            "GET",
            "/api/v2/ecsspecs",
            query={"AcceleratorType": accelerator_type, "PageSize": page_size},
        )

    async def wait(
        self, instance_id: str, statuses: frozenset[str] = PAI_SETTLED, **options: Any
    ) -> PaiInstance:
        return await wait_until(
            lambda: self.get(instance_id),
            lambda instance: instance.Status in statuses,
            key=lambda instance: instance.Status,
            describe=f"DSW instance {instance_id}",
            **options,
        )
