"""``ma.training``: training jobs, their versions and logs, and built-in algorithms
(TJ-1 ... TJ-13); ``ma.training_configs`` (TC-1 ... TC-5); ``ma.visualization`` (VJ-1 ... VJ-7);
``ma.specs`` (SP-1, SP-2)."""

from __future__ import annotations

import asyncio
import builtins
import time
from collections.abc import AsyncIterator, Awaitable, Mapping
from typing import Any, Literal

from ..errors import ValidationError
from ..log_follow import follow_lines
from ..paging import Page, first, paginate
from ..policy import CallKind
from ..schemas.training import (
    TERMINAL_JOB_STATUSES,
    BuiltInAlgorithmList,
    BuiltInAlgorithmQuery,
    ByteLog,
    ByteLogQuery,
    DescriptionUpdate,
    EngineList,
    JobStatus,
    LineLog,
    LineLogQuery,
    LogFileNames,
    ResourceSpecList,
    TrainingConfig,
    TrainingConfigCreate,
    TrainingConfigList,
    TrainingConfigListQuery,
    TrainingConfigUpdate,
    TrainingJobCreate,
    TrainingJobCreated,
    TrainingJobList,
    TrainingJobListQuery,
    TrainingJobSummary,
    TrainingJobVersion,
    TrainingVersionCreate,
    TrainingVersionList,
    VisualizationJob,
    VisualizationJobCreate,
    VisualizationJobList,
    VisualizationJobListQuery,
)
from ..waiters import wait_until
from .base import ApiGroup

_JOBS = "/training-jobs"
_CONFIGS = "/training-job-configs"
_VISUALIZATION = "/visualization-jobs"
_CLOCK_SKEW_MS = 5000


#: TJ-2's ``per_page`` range is [1, 1000].
MAX_JOBS_PER_PAGE = 1000


class TrainingJobs(ApiGroup):
    _max_workers: dict[int, int | None] | None = None

    # --- jobs ------------------------------------------------------------------------------

    async def create(
        self, request: TrainingJobCreate | Mapping[str, Any] | None = None, **fields: Any
    ) -> TrainingJobCreated:
        """TJ-1: a job and its first version. Job names are unique, so a create with an unknown
        outcome is looked up by name before it is sent again."""
        body = TrainingJobCreate.parse(request, **fields)
        await self._check_workers(body.config.spec_id, body.config.worker_server_num)
        return await self._request(
            TrainingJobCreated,
            "POST",
            _JOBS,
            body=body,
            kind=CallKind.CREATE,
            reconcile=lambda: self.find(body.job_name, workspace_id=body.workspace_id),
        )

    async def _check_workers(self, spec_id: int, workers: int) -> None:
        """C43: ``worker_server_num`` at most the spec's ``max_num`` (SP-1, fetched once)."""
        if self._max_workers is None:
            specs = await Specs(self._api).resources(job_type="train")
            self._max_workers = {spec.spec_id: spec.max_num for spec in specs.specs}
        if spec_id not in self._max_workers:
            known = ", ".join(map(str, sorted(self._max_workers)))
            raise ValidationError(
                f"unknown resource spec {spec_id} (known: {known})", field="config.spec_id"
            )
        limit = self._max_workers[spec_id]
        if limit is not None and workers > limit:
            raise ValidationError(
                f"spec {spec_id} allows at most {limit} workers",
                field="config.worker_server_num",
            )

    async def list(
        self, query: TrainingJobListQuery | Mapping[str, Any] | None = None, **filters: Any
    ) -> TrainingJobList:
        """TJ-2 (one page)."""
        return await self._request(
            TrainingJobList, "GET", _JOBS, query=TrainingJobListQuery.parse(query, **filters)
        )

    def iterate(
        self, page_size: int = MAX_JOBS_PER_PAGE, **filters: Any
    ) -> AsyncIterator[TrainingJobSummary]:
        """Every job (TJ-2), by the largest page TJ-2 allows: a list of a thousand jobs is
        one call."""

        async def fetch(index: int) -> Page[TrainingJobSummary]:
            page = await self.list(page=index + 1, per_page=page_size, **filters)
            return Page(page.jobs, page.job_total_count)

        return paginate(fetch, page_size)

    async def find(self, job_name: str, **filters: Any) -> TrainingJobSummary | None:
        filters = {k: v for k, v in filters.items() if v is not None}
        return await first(
            self.iterate(search_content=job_name[:64], **filters),
            lambda job: job.job_name == job_name,
        )

    async def update_description(self, job_id: int, job_desc: str) -> None:
        """TJ-8."""
        await self._send(
            "PUT",
            f"{_JOBS}/{job_id}",
            body=DescriptionUpdate(job_desc=job_desc),
            kind=CallKind.UPDATE,
        )

    async def delete(self, job_id: int) -> None:
        """TJ-9: the job and all its versions."""
        await self._send("DELETE", f"{_JOBS}/{job_id}", kind=CallKind.DELETE)

    # --- versions --------------------------------------------------------------------------

    async def create_version(
        self,
        job_id: int,
        request: TrainingVersionCreate | Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> TrainingJobCreated:
        """TJ-6: a new version from ``config.pre_version_id``. After an unknown outcome, a
        version of that parent created since the request is taken as the result."""
        body = TrainingVersionCreate.parse(request, **fields)
        not_before = int(time.time() * 1000) - _CLOCK_SKEW_MS

        async def reconcile() -> TrainingJobCreated | None:
            listing = await self.versions(job_id)
            for version in listing.versions:
                if (
                    version.pre_version_id == body.config.pre_version_id
                    and (version.create_time or 0) >= not_before
                ):
                    return TrainingJobCreated.model_validate(
                        {**version.model_dump(), "job_id": job_id}
                    )
            return None

        return await self._request(
            TrainingJobCreated,
            "POST",
            f"{_JOBS}/{job_id}/versions",
            body=body,
            kind=CallKind.CREATE,
            reconcile=reconcile,
        )

    async def versions(
        self, job_id: int, *, page: int | None = None, per_page: int | None = None
    ) -> TrainingVersionList:
        """TJ-5 (``page`` 0 or None: every version)."""
        return await self._request(
            TrainingVersionList,
            "GET",
            f"{_JOBS}/{job_id}/versions",
            query={"page": page, "per_page": per_page},
        )

    async def get_version(self, job_id: int, version_id: int) -> TrainingJobVersion:
        """TJ-3."""
        return await self._request(
            TrainingJobVersion, "GET", f"{_JOBS}/{job_id}/versions/{version_id}"
        )

    async def delete_version(self, job_id: int, version_id: int) -> None:
        """TJ-4."""
        await self._send("DELETE", f"{_JOBS}/{job_id}/versions/{version_id}", kind=CallKind.DELETE)

    async def stop(self, job_id: int, version_id: int) -> None:
        """TJ-7 (asynchronous: the version goes through KILLING to KILLED)."""
        await self._send(
            "POST", f"{_JOBS}/{job_id}/versions/{version_id}/stop", kind=CallKind.ACTION
        )

    async def wait(
        self,
        job_id: int,
        version_id: int,
        statuses: frozenset[JobStatus] = TERMINAL_JOB_STATUSES,
        **options: Any,
    ) -> TrainingJobVersion:
        """Poll TJ-3 until the version's status is in ``statuses`` (by default a terminal one)."""
        return await wait_until(
            lambda: self.get_version(job_id, version_id),
            lambda version: version.job_status in statuses,
            key=lambda version: version.status,
            describe=f"training job {job_id} version {version_id}",
            **options,
        )

    # --- logs ------------------------------------------------------------------------------

    async def log_files(self, job_id: int, version_id: int) -> builtins.list[str]:
        """TJ-10: one file per worker."""
        names = await self._request(
            LogFileNames, "GET", f"{_JOBS}/{job_id}/versions/{version_id}/log/file-names"
        )
        return names.log_file_list

    async def log_bytes(
        self,
        job_id: int,
        version_id: int,
        log_file: str,
        *,
        start_byte: int | None = None,
        offset: int | None = None,
    ) -> ByteLog:
        """TJ-11 (old): up to 2,048 bytes from ``start_byte`` (-1: the end)."""
        query = ByteLogQuery(log_file=log_file, start_byte=start_byte, offset=offset)
        return await self._request(
            ByteLog, "GET", f"{_JOBS}/{job_id}/versions/{version_id}/log", query=query
        )

    async def log_lines(
        self,
        job_id: int,
        version_id: int,
        log_file: str,
        *,
        base_line: str | None = None,
        lines: int | None = None,
        order: Literal["asc", "desc"] | None = None,
    ) -> LineLog:
        """TJ-13 (new): up to 500 lines after (``desc``) or before (``asc``) ``base_line``;
        without ``base_line``, the last lines."""
        query = LineLogQuery(log_file=log_file, base_line=base_line, lines=lines, order=order)
        return await self._request(
            LineLog, "GET", f"{_JOBS}/{job_id}/versions/{version_id}/aom-log", query=query
        )

    async def follow_log(
        self,
        job_id: int,
        version_id: int,
        *,
        log_file: str | None = None,
        from_start: bool = True,
        poll_interval: float = 1.0,
        batch: int = 500,
    ) -> AsyncIterator[str]:
        """Yield the log's lines as they are written, until the version has ended and every
        line has been read. ``from_start=False`` starts at the last lines."""
        log_file = log_file or await self._first_log_file(job_id, version_id, poll_interval)

        def read(base_line: str | None, lines: int) -> Awaitable[LineLog]:
            return self.log_lines(
                job_id, version_id, log_file, base_line=base_line, lines=lines, order="desc"
            )

        async def finished() -> bool:
            version = await self.get_version(job_id, version_id)
            return version.job_status in TERMINAL_JOB_STATUSES

        async for line in follow_lines(
            read, finished, from_start=from_start, poll_interval=poll_interval, batch=batch
        ):
            yield line

    async def _first_log_file(self, job_id: int, version_id: int, poll_interval: float) -> str:
        while True:
            names = await self.log_files(job_id, version_id)
            if names:
                return names[0]
            version = await self.get_version(job_id, version_id)
            if version.job_status in TERMINAL_JOB_STATUSES:
                names = await self.log_files(job_id, version_id)
                return names[0] if names else f"{version.job_name or job_id}.0"
            await asyncio.sleep(poll_interval)

    # --- built-in algorithms -----------------------------------------------------------------

    async def built_in_algorithms(
        self, query: BuiltInAlgorithmQuery | Mapping[str, Any] | None = None, **filters: Any
    ) -> BuiltInAlgorithmList:
        """TJ-12."""
        return await self._request(
            BuiltInAlgorithmList,
            "GET",
            "/built-in-algorithms",
            query=BuiltInAlgorithmQuery.parse(query, **filters),
        )


class TrainingConfigs(ApiGroup):
    """Saved training job parameters, identified by name."""

    async def create(
        self, request: TrainingConfigCreate | Mapping[str, Any] | None = None, **fields: Any
    ) -> TrainingConfig:
        """TC-1; answers with the stored configuration (TC-5). After an unknown outcome the
        configuration is looked up by name."""
        body = TrainingConfigCreate.parse(request, **fields)
        await self._api.call(
            "POST",
            _CONFIGS,
            body=body.to_body(),
            kind=CallKind.CREATE,
            reconcile=lambda: self._exists(body.config_name),
        )
        return await self.get(body.config_name)

    async def _exists(self, config_name: str) -> dict[str, Any] | None:
        listing = await self.list(search_content=config_name[:64], per_page=1000)
        found = any(config.config_name == config_name for config in listing.configs)
        return {"is_success": True} if found else None

    async def list(
        self, query: TrainingConfigListQuery | Mapping[str, Any] | None = None, **filters: Any
    ) -> TrainingConfigList:
        """TC-2."""
        return await self._request(
            TrainingConfigList,
            "GET",
            _CONFIGS,
            query=TrainingConfigListQuery.parse(query, **filters),
        )

    async def get(
        self, config_name: str, *, config_type: Literal["custom", "sample"] | None = None
    ) -> TrainingConfig:
        """TC-5."""
        return await self._request(
            TrainingConfig,
            "GET",
            f"{_CONFIGS}/{config_name}",
            query={"config_type": config_type},
        )

    async def update(
        self,
        config_name: str,
        request: TrainingConfigUpdate | Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> None:
        """TC-3 (the whole configuration is replaced)."""
        await self._send(
            "PUT",
            f"{_CONFIGS}/{config_name}",
            body=TrainingConfigUpdate.parse(request, **fields),
            kind=CallKind.UPDATE,
        )

    async def delete(self, config_name: str) -> None:
        """TC-4."""
        await self._send("DELETE", f"{_CONFIGS}/{config_name}", kind=CallKind.DELETE)


class VisualizationJobs(ApiGroup):
    """TensorBoard jobs over a training output folder."""

    async def create(
        self, request: VisualizationJobCreate | Mapping[str, Any] | None = None, **fields: Any
    ) -> TrainingJobCreated:
        """VJ-1; names are unique (ModelArts.0103), so it is reconciled by name."""
        body = VisualizationJobCreate.parse(request, **fields)
        return await self._request(
            TrainingJobCreated,
            "POST",
            _VISUALIZATION,
            body=body,
            kind=CallKind.CREATE,
            reconcile=lambda: self.find(body.job_name),
        )

    async def list(
        self, query: VisualizationJobListQuery | Mapping[str, Any] | None = None, **filters: Any
    ) -> VisualizationJobList:
        """VJ-2."""
        return await self._request(
            VisualizationJobList,
            "GET",
            _VISUALIZATION,
            query=VisualizationJobListQuery.parse(query, **filters),
        )

    def iterate(self, page_size: int = 100, **filters: Any) -> AsyncIterator[VisualizationJob]:
        async def fetch(index: int) -> Page[VisualizationJob]:
            page = await self.list(page=index + 1, per_page=page_size, **filters)
            return Page(page.jobs, page.job_total_count)

        return paginate(fetch, page_size)

    async def find(self, job_name: str) -> VisualizationJob | None:
        return await first(
            self.iterate(search_content=job_name), lambda job: job.job_name == job_name
        )

    async def get(self, job_id: int) -> VisualizationJob:
        """VJ-3."""
        return await self._request(VisualizationJob, "GET", f"{_VISUALIZATION}/{job_id}")

    async def update_description(self, job_id: int, job_desc: str) -> None:
        """VJ-4."""
        await self._send(
            "PUT",
            f"{_VISUALIZATION}/{job_id}",
            body=DescriptionUpdate(job_desc=job_desc),
            kind=CallKind.UPDATE,
        )

    async def delete(self, job_id: int) -> None:
        """VJ-5."""
        await self._send("DELETE", f"{_VISUALIZATION}/{job_id}", kind=CallKind.DELETE)

    async def stop(self, job_id: int) -> None:
        """VJ-6."""
        await self._send("POST", f"{_VISUALIZATION}/{job_id}/stop", kind=CallKind.ACTION)

    async def restart(self, job_id: int) -> None:
        """VJ-7 (refused while running: ModelArts.0105)."""
        await self._send("POST", f"{_VISUALIZATION}/{job_id}/restart", kind=CallKind.ACTION)


class Specs(ApiGroup):
    """Resource and engine specifications for jobs (SP-1, SP-2)."""

    async def resources(
        self,
        *,
        job_type: Literal["train", "inference"] | None = None,
        engine_id: int | None = None,
        project_type: Literal[0, 1, 2, 3] | None = None,
    ) -> ResourceSpecList:
        """SP-1: ``spec_id`` and ``max_num`` (the bound of ``worker_server_num``)."""
        return await self._request(
            ResourceSpecList,
            "GET",
            "/job/resource-specs",
            query={"job_type": job_type, "engine_id": engine_id, "project_type": project_type},
        )

    async def engines(self, *, job_type: Literal["train", "inference"] | None = None) -> EngineList:
        """SP-2."""
        return await self._request(
            EngineList, "GET", "/job/ai-engines", query={"job_type": job_type}
        )
