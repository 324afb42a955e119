"""``ma.training_v2``: the current training API (``/v2/{project_id}/training-jobs``), the one
Huawei Cloud serves since the v1 training family went offline."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Awaitable, Mapping
from typing import Any, Literal

from ..errors import ValidationError
from ..log_follow import follow_lines
from ..paging import Page, first, paginate
from ..policy import CallKind
from ..schemas.training import LineLog
from ..schemas.training_v2 import (
    MAX_JOBS_PER_SEARCH,
    TERMINAL_PHASES,
    EngineV2List,
    EventsQuery,
    FlavorList,
    JobAction,
    JobDescription,
    JobEventList,
    LogLinesQuery,
    LogPreview,
    MetricList,
    Phase,
    SearchFilter,
    TaskHistory,
    TrainingJobSearch,
    TrainingJobV2,
    TrainingJobV2Create,
    TrainingJobV2List,
)
from ..waiters import wait_until
from .base import ApiGroup

_JOBS = "/training-jobs"
#: The task whose log a single-node job writes (``worker-{N}`` for node N).
FIRST_TASK = "worker-0"


class TrainingJobsV2(ApiGroup):
    api_version = "v2"
    _max_nodes: dict[str, int | None] | None = None

    # --- jobs ------------------------------------------------------------------------------

    async def create(
        self, request: TrainingJobV2Create | Mapping[str, Any] | None = None, **fields: Any
    ) -> TrainingJobV2:
        """Create and start a job. Names are unique per account, so a create with an unknown
        outcome is looked up by name before it is sent again."""
        body = TrainingJobV2Create.parse(request, **fields)
        resource = body.spec.resource
        if resource.flavor_id and not resource.pool_id:
            await self._check_nodes(resource.flavor_id, resource.node_count)
        return await self._request(
            TrainingJobV2,
            "POST",
            _JOBS,
            body=body,
            kind=CallKind.CREATE,
            reconcile=lambda: self.find(body.metadata.name),
        )

    async def _check_nodes(self, flavor_id: str, node_count: int) -> None:
        """``node_count`` at most the flavor's ``max_num`` (flavors fetched once)."""
        if self._max_nodes is None:
            listing = await self.flavors()
            self._max_nodes = {flavor.flavor_id: flavor.max_num for flavor in listing.flavors}
        if flavor_id not in self._max_nodes:
            known = ", ".join(sorted(self._max_nodes))
            raise ValidationError(
                f"unknown flavor {flavor_id} (known: {known})", field="spec.resource.flavor_id"
            )
        limit = self._max_nodes[flavor_id]
        if limit is not None and node_count > limit:
            raise ValidationError(
                f"flavor {flavor_id} allows at most {limit} nodes",
                field="spec.resource.node_count",
            )

    async def search(
        self, query: TrainingJobSearch | Mapping[str, Any] | None = None, **fields: Any
    ) -> TrainingJobV2List:
        """One page of jobs (``POST .../training-job-searches``)."""
        return await self._request(
            TrainingJobV2List,
            "POST",
            "/training-job-searches",
            body=TrainingJobSearch.parse(query, **fields),
        )

    def iterate(
        self, page_size: int = MAX_JOBS_PER_SEARCH, **fields: Any
    ) -> AsyncIterator[TrainingJobV2]:
        """Every job matching ``fields`` (``filters``, ``sort_by``...), page by page."""

        async def fetch(index: int) -> Page[TrainingJobV2]:
            page = await self.search(offset=index * page_size, limit=page_size, **fields)
            return Page(page.items, page.total)

        return paginate(fetch, page_size)

    async def find(self, name: str) -> TrainingJobV2 | None:
        by_name = SearchFilter(key="name", operator="like", value=[name])
        return await first(self.iterate(filters=[by_name]), lambda job: job.name == name)

    async def get(self, job_id: str) -> TrainingJobV2:
        return await self._request(TrainingJobV2, "GET", f"{_JOBS}/{job_id}")

    async def terminate(self, job_id: str) -> TrainingJobV2:
        """Stop a job (asynchronous: it goes through Terminating to Terminated)."""
        return await self._request(
            TrainingJobV2,
            "POST",
            f"{_JOBS}/{job_id}/actions",
            body=JobAction(),
            kind=CallKind.ACTION,
        )

    async def change_description(self, job_id: str, description: str) -> None:
        """Give a job a new description (at most 256 characters), whatever its phase."""
        body = JobDescription(description=description)
        await self._send("PUT", f"{_JOBS}/{job_id}", body=body, kind=CallKind.UPDATE)

    async def delete(self, job_id: str) -> None:
        await self._send("DELETE", f"{_JOBS}/{job_id}", kind=CallKind.DELETE)

    async def wait(
        self, job_id: str, phases: frozenset[Phase] = TERMINAL_PHASES, **options: Any
    ) -> TrainingJobV2:
        """Poll the job until its phase is in ``phases`` (by default a terminal one)."""
        return await wait_until(
            lambda: self.get(job_id),
            lambda job: job.status.job_phase in phases,
            key=lambda job: (job.status.phase, job.status.secondary_phase),
            describe=f"training job {job_id}",
            **options,
        )

    # --- tasks, logs, events, metrics ------------------------------------------------------

    async def tasks(self, job_id: str) -> builtins.list[TaskHistory]:
        """The job's tasks (``worker-0`` ... one per node); the answer is a bare list."""
        found = await self._send("GET", f"{_JOBS}/{job_id}/tasks", kind=CallKind.READ)
        return [TaskHistory.model_validate(task) for task in found or []]

    async def log_preview(self, job_id: str, task_id: str = FIRST_TASK) -> LogPreview:
        """The end of a task's log."""
        return await self._request(
            LogPreview, "GET", f"{_JOBS}/{job_id}/tasks/{task_id}/logs/preview"
        )

    async def log_lines(
        self,
        job_id: str,
        task_id: str = FIRST_TASK,
        *,
        base_line: str | None = None,
        lines: int | None = None,
        order: Literal["asc", "desc"] | None = None,
    ) -> LineLog:
        """Up to 500 lines after (``desc``) or before (``asc``) ``base_line``; without it, the
        last lines."""
        query = LogLinesQuery(base_line=base_line, lines=lines, order=order)
        return await self._request(LineLog, "GET", f"{_JOBS}/{job_id}/logs/{task_id}", query=query)

    async def follow_log(
        self,
        job_id: str,
        task_id: str = FIRST_TASK,
        *,
        from_start: bool = True,
        poll_interval: float = 1.0,
        batch: int = 500,
    ) -> AsyncIterator[str]:
        """Yield a task's log lines as they are written, until the job has ended and every
        line has been read."""

        def read(base_line: str | None, lines: int) -> Awaitable[LineLog]:
            return self.log_lines(job_id, task_id, base_line=base_line, lines=lines, order="desc")

        async def finished() -> bool:
            return (await self.get(job_id)).status.terminal

        async for line in follow_lines(
            read, finished, from_start=from_start, poll_interval=poll_interval, batch=batch
        ):
            yield line

    async def events(
        self, job_id: str, query: EventsQuery | Mapping[str, Any] | None = None, **fields: Any
    ) -> JobEventList:
        return await self._request(
            JobEventList,
            "GET",
            f"{_JOBS}/{job_id}/events",
            query=EventsQuery.parse(query, **fields),
        )

    async def metrics(self, job_id: str, task_id: str = FIRST_TASK) -> MetricList:
        return await self._request(MetricList, "GET", f"{_JOBS}/{job_id}/metrics/{task_id}")

    # --- catalogs --------------------------------------------------------------------------

    async def flavors(
        self, *, flavor_type: Literal["CPU", "GPU", "Ascend"] | None = None
    ) -> FlavorList:
        """Public resource flavors for training (``max_num``: the most nodes of a job)."""
        return await self._request(
            FlavorList, "GET", "/training-job-flavors", query={"flavor_type": flavor_type}
        )

    async def engines(self) -> EngineV2List:
        """Preset AI engines (``engine_id``, or ``engine_name`` + ``engine_version``)."""
        return await self._request(EngineV2List, "GET", "/training-job-engines")
