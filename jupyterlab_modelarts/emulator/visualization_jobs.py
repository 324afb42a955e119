"""Visualization jobs (004 §5.3, VJ-1 to VJ-7), error shape E4, numeric statuses of 004 §5.5.

A running job is a real TensorBoard on the local folder of its `train_url`, at `service_url`,
when the `tensorboard` package is installed (runtime/tensorboard.py; `service_url` stays empty
without it). The status machine is the documented one: `1` INIT on create, `8` RUNNING after
a short start-up delay (scaled by `config.speed`), `12` KILLED after VJ-6 or after the auto-stop
`schedule` (1 hour, as in the sample); VJ-7 restarts a stopped job and refuses a running one
(`ModelArts.0105`, "This job can't be resubmit. job status: 8").
"""

from __future__ import annotations

import uuid
from typing import Any

from ..whole_numbers import parse_whole_number
from .context import EmulatorContext
from .errors import ApiError, Family
from .fields import Rule, check
from .handler import EmulatorHandler
from .runtime.tensorboard import TensorBoards
from .store import Document, now_ms
from .training_spec import (
    CODES,
    DUPLICATE,
    NOT_ALLOWED,
    NOT_FOUND,
    JobStatus,
    check_obs_location,
    name_rule,
    paged,
    status_filter,
)
from .workspaces import require_workspace

KIND = "visualization_jobs"
START_SECONDS = 3.0
AUTO_STOP_HOURS = 1
QUOTA = 100

CREATE_RULES = (
    name_rule("job_name", 20),
    Rule("job_desc", max_length=256),
    Rule("train_url", required=True, min_length=1),
    Rule("workspace_id", min_length=1),
)
DESCRIPTION_RULES = (Rule("job_desc", max_length=256),)
_PRIVATE = ("run_from", "workspace_id")


def tensorboards(ctx: EmulatorContext) -> TensorBoards:
    boards: TensorBoards = ctx.services.setdefault(KIND, TensorBoards())
    return boards


def stop_servers(ctx: EmulatorContext) -> None:
    """Stop every job's TensorBoard (Local ModelArts stops)."""
    tensorboards(ctx).stop_all()


class VisualizationHandler(EmulatorHandler):
    family = Family.TRAINING

    def serve(self, job: Document) -> None:
        """Start the TensorBoard of a running job that has none (just started, or Local
        ModelArts restarted since)."""
        boards = tensorboards(self.ctx)
        job_id = str(job["job_id"])
        if not boards.serves(job_id):
            job["service_url"] = boards.start(
                job_id,
                self.obs.local_path(job["train_url"]),
                self.ctx.work_dir("visualization", job_id),
            )

    def unserve(self, job: Document) -> None:
        tensorboards(self.ctx).stop(str(job["job_id"]))
        job["service_url"] = ""

    def current(self, job: Document) -> Document:
        """The job with the transitions that are due by now applied (and stored)."""
        now = now_ms()
        status = JobStatus(job["status"])
        start_at = job["run_from"] + int(self.ctx.config.scaled(START_SECONDS) * 1000)
        if status is JobStatus.INIT and now >= start_at:
            job["status"] = int(JobStatus.RUNNING)
            status = JobStatus.RUNNING
        stop_at = start_at + int(self.ctx.config.scaled(AUTO_STOP_HOURS * 3600) * 1000)
        if status is JobStatus.RUNNING and now >= stop_at:
            job.update(status=int(JobStatus.KILLED), duration=stop_at - start_at)
            self.unserve(job)
        elif status is JobStatus.RUNNING:
            job["duration"] = now - start_at
            self.serve(job)
        self.save(job)
        return job

    def job(self, job_id: str) -> Document:
        job = self.store.get(KIND, job_id) if parse_whole_number(job_id) is not None else None
        if job is None:
            raise ApiError(404, NOT_FOUND, f"The visualization job {job_id} does not exist.")
        return self.current(job)

    def save(self, job: Document) -> None:
        self.store.put(KIND, str(job["job_id"]), job, name=job["job_name"])

    def send_success(self, document: dict[str, Any] | None = None) -> None:
        self.send_json({"is_success": True, **(document or {})})


def _public(job: Document) -> Document:
    return {key: value for key, value in job.items() if key not in _PRIVATE}


class VisualizationJobsHandler(VisualizationHandler):
    def post(self, project_id: str) -> None:
        """VJ-1."""
        body = self.json_body()
        check(body, CREATE_RULES, CODES)
        workspace_id = body.get("workspace_id") or "0"
        require_workspace(self.ctx, workspace_id)
        check_obs_location(self.ctx, body["train_url"], "train_url")
        if self.store.find(KIND, name=body["job_name"]) is not None:
            raise ApiError(409, DUPLICATE, f"The visualization job name {body['job_name']} exists.")
        if self.store.count(KIND) >= QUOTA:
            raise ApiError(400, "ModelArts.0106", f"At most {QUOTA} visualization jobs.")
        created = now_ms()
        job = {
            "job_id": self.store.next_number("visualization_job"),
            "job_name": body["job_name"],
            "job_desc": body.get("job_desc", ""),
            "status": int(JobStatus.INIT),
            "create_time": created,
            "duration": 0,
            "service_url": "",
            "train_url": body["train_url"],
            "resource_id": str(uuid.uuid4()),
            # The sample prints the key as `timeUnit` (its table: `time_unit`).
            "schedule": [{"type": "stop", "timeUnit": "HOURS", "duration": AUTO_STOP_HOURS}],
            "remaining_duration": None,
            "run_from": created,
            "workspace_id": workspace_id,
        }
        self.save(job)
        # The documented sample prints these numbers as strings.
        self.send_success(
            {
                "job_id": str(job["job_id"]),
                "job_name": job["job_name"],
                "status": str(job["status"]),
                "create_time": str(created),
            }
        )

    def get(self, project_id: str) -> None:
        """VJ-2."""
        statuses = status_filter(self.get_query_argument("status", None))
        workspace_id = self.get_query_argument("workspace_id", None) or "0"
        rows = [
            _public(self.current(job))
            for job in self.store.list(KIND)
            if job["workspace_id"] == workspace_id
        ]
        rows = [row for row in rows if statuses is None or row["status"] in statuses]
        page, _ = paged(
            self,
            rows,
            per_page_max=100,
            default_order="asc",
            search_field="job_name",
            sort_fields=("job_id", "job_name", "job_desc", "create_time", "status"),
        )
        total = self.store.count(KIND)
        self.send_success(
            {
                "quotas": QUOTA,
                "job_total_count": total,
                "job_count_limit": max(0, QUOTA - total),
                "jobs": page,
            }
        )


class VisualizationJobHandler(VisualizationHandler):
    def get(self, project_id: str, job_id: str) -> None:
        """VJ-3."""
        job = _public(self.job(job_id))
        job.pop("schedule")
        self.send_success(job)

    def put(self, project_id: str, job_id: str) -> None:
        """VJ-4."""
        job = self.job(job_id)
        body = self.json_body()
        check(body, DESCRIPTION_RULES, CODES)
        job["job_desc"] = body.get("job_desc", "")
        self.save(job)
        self.send_success()

    def delete(self, project_id: str, job_id: str) -> None:
        """VJ-5."""
        self.unserve(self.job(job_id))
        self.store.delete(KIND, job_id)
        self.send_success()


class StopHandler(VisualizationHandler):
    def post(self, project_id: str, job_id: str) -> None:
        """VJ-6."""
        job = self.job(job_id)
        if JobStatus(job["status"]).terminal:
            raise ApiError(
                409, NOT_ALLOWED, f"This job can't be stopped. job status: {job['status']}"
            )
        job["status"] = int(JobStatus.KILLED)
        self.unserve(job)
        self.save(job)
        self.send_success()


class RestartHandler(VisualizationHandler):
    def post(self, project_id: str, job_id: str) -> None:
        """VJ-7: only a stopped (terminal) job restarts."""
        job = self.job(job_id)
        if not JobStatus(job["status"]).terminal:
            raise ApiError(
                409, NOT_ALLOWED, f"This job can't be resubmit. job status: {job['status']}"
            )
        self.unserve(job)
        job.update(status=int(JobStatus.INIT), run_from=now_ms(), duration=0)
        self.save(job)
        self.send_success()


V1 = r"/v1/(?P<project_id>[^/]+)"
JOB = V1 + r"/visualization-jobs/(?P<job_id>[^/]+)"
ROUTES = [
    (V1 + r"/visualization-jobs/?", VisualizationJobsHandler),
    (JOB + r"/?", VisualizationJobHandler),
    (JOB + r"/stop/?", StopHandler),
    (JOB + r"/restart/?", RestartHandler),
]
