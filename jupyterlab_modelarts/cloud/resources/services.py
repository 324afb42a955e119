"""``ma.services``: deploy models as real-time, batch or edge services, and everything about
them (SV-1 ... SV-11)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any, Literal

from ..errors import ValidationError
from ..paging import Page, first, paginate
from ..policy import CallKind
from ..schemas.services import (
    SERVICE_SETTLED,
    ClusterList,
    ClusterListQuery,
    ServiceCreate,
    ServiceCreated,
    ServiceDetail,
    ServiceEventQuery,
    ServiceEvents,
    ServiceList,
    ServiceListQuery,
    ServiceMonitor,
    ServiceSpecificationList,
    ServiceSummary,
    ServiceUpdate,
    ServiceUpdateLogs,
)
from ..waiters import wait_until
from .base import ApiGroup

_PATH = "/services"


class Services(ApiGroup):
    async def create(
        self, request: ServiceCreate | Mapping[str, Any] | None = None, **fields: Any
    ) -> ServiceCreated:
        """SV-1. Service names are unique (ModelArts.3503): reconciled by name."""
        body = ServiceCreate.parse(request, **fields)
        return await self._request(
            ServiceCreated,
            "POST",
            _PATH,
            body=body,
            kind=CallKind.CREATE,
            reconcile=lambda: self.find(body.service_name, workspace_id=body.workspace_id),
        )

    async def list(
        self, query: ServiceListQuery | Mapping[str, Any] | None = None, **filters: Any
    ) -> ServiceList:
        """SV-2 (without ``workspace_id`` only the default workspace is listed)."""
        return await self._request(
            ServiceList, "GET", _PATH, query=ServiceListQuery.parse(query, **filters)
        )

    def iterate(self, page_size: int = 100, **filters: Any) -> AsyncIterator[ServiceSummary]:
        """Every service (``offset`` is a page index in this API)."""

        async def fetch(index: int) -> Page[ServiceSummary]:
            page = await self.list(offset=index, limit=page_size, **filters)
            return Page(page.services, page.total_count)

        return paginate(fetch, page_size)

    async def find(self, service_name: str, **filters: Any) -> ServiceSummary | None:
        filters = {k: v for k, v in filters.items() if v is not None}
        return await first(
            self.iterate(service_name=service_name, **filters),
            lambda service: service.service_name == service_name,
        )

    async def get(self, service_id: str) -> ServiceDetail:
        """SV-3."""
        return await self._request(ServiceDetail, "GET", f"{_PATH}/{service_id}")

    async def update(
        self,
        service_id: str,
        request: ServiceUpdate | Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> None:
        """SV-5: description, configuration, schedule; or ``status`` alone (start/stop)."""
        await self._send(
            "PUT",
            f"{_PATH}/{service_id}",
            body=ServiceUpdate.parse(request, **fields),
            kind=CallKind.UPDATE,
        )

    async def start(self, service_id: str) -> None:
        await self._send(
            "PUT", f"{_PATH}/{service_id}", body={"status": "running"}, kind=CallKind.ACTION
        )

    async def stop(self, service_id: str) -> None:
        await self._send(
            "PUT", f"{_PATH}/{service_id}", body={"status": "stopped"}, kind=CallKind.ACTION
        )

    async def set_node_status(
        self, service_id: str, node_id: str, status: Literal["running", "stopped"]
    ) -> None:
        """SV-4: start or stop the service's instance on one edge node."""
        if status not in ("running", "stopped"):
            raise ValidationError("must be running or stopped", field="status")
        await self._send(
            "PUT",
            f"{_PATH}/{service_id}/nodes/{node_id}/status",
            body={"status": status},
            kind=CallKind.ACTION,
        )

    async def delete(self, *service_ids: str) -> None:
        """SV-9 (several ids delete in one call)."""
        if not service_ids:
            raise ValidationError("give at least one service id", field="service_id")
        await self._send("DELETE", f"{_PATH}/{','.join(service_ids)}", kind=CallKind.DELETE)

    async def monitor(self, service_id: str, *, node_id: str | None = None) -> ServiceMonitor:
        """SV-6 (real-time and edge services)."""
        return await self._request(
            ServiceMonitor, "GET", f"{_PATH}/{service_id}/monitor", query={"node_id": node_id}
        )

    async def update_logs(self, service_id: str) -> ServiceUpdateLogs:
        """SV-7."""
        return await self._request(ServiceUpdateLogs, "GET", f"{_PATH}/{service_id}/logs")

    async def events(
        self,
        service_id: str,
        query: ServiceEventQuery | Mapping[str, Any] | None = None,
        **filters: Any,
    ) -> ServiceEvents:
        """SV-8."""
        return await self._request(
            ServiceEvents,
            "GET",
            f"{_PATH}/{service_id}/events",
            query=ServiceEventQuery.parse(query, **filters),
        )

    async def specifications(
        self,
        *,
        infer_type: Literal["real-time", "batch", "edge"] | None = None,
        is_personal_cluster: bool | None = None,
    ) -> ServiceSpecificationList:
        """SV-10."""
        return await self._request(
            ServiceSpecificationList,
            "GET",
            f"{_PATH}/specifications",
            query={"infer_type": infer_type, "is_personal_cluster": is_personal_cluster},
        )

    async def clusters(
        self, query: ClusterListQuery | Mapping[str, Any] | None = None, **filters: Any
    ) -> ClusterList:
        """SV-11: dedicated resource pools."""
        return await self._request(
            ClusterList, "GET", "/clusters", query=ClusterListQuery.parse(query, **filters)
        )

    async def predict(self, service: ServiceDetail | str, payload: Any) -> Any:
        """Send one inference request to a real-time service (its ``access_address``, signed
        like every other call) and return the decoded answer."""
        detail = service if isinstance(service, ServiceDetail) else await self.get(service)
        if not detail.access_address:
            raise ValidationError(
                f"service {detail.service_id} has no access address (status {detail.status})",
                field="service_id",
            )
        return await self._api.call_url("POST", detail.access_address, body=payload)

    async def wait(
        self, service_id: str, statuses: frozenset[str] = SERVICE_SETTLED, **options: Any
    ) -> ServiceDetail:
        """Poll until the service has left ``deploying`` (or reached ``statuses``)."""
        return await wait_until(
            lambda: self.get(service_id),
            lambda service: service.status in statuses,
            key=lambda service: service.status,
            describe=f"service {service_id}",
            **options,
        )
