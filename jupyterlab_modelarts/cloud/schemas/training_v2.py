"""The current training API (``/v2/{project_id}/training-jobs``, Huawei Cloud "Training
Management"): jobs as ``metadata`` + ``algorithm`` + ``spec``, their statuses as
``status.phase`` / ``secondary_phase`` (strings, unlike the numeric statuses of the v1 family),
tasks, logs, events, metrics, flavors and engines.

Field names follow the API reference and the official SDK's models (``Job``, ``JobAlgorithm``,
``SpecResource``, ``JobSearches``...).
"""

from __future__ import annotations

import enum
from typing import Any, Literal

from pydantic import Field, model_validator

from ..field_errors import RuleError
from .base import (
    ApiModel,
    FieldRuleError,
    RequestModel,
    TextValued,
    check_together,
    first_repeated,
)
from .rules import Description256, Name64, check_obs_folder


class Phase(str, enum.Enum):
    """``status.phase`` of a v2 job."""

    CREATING = "Creating"
    PENDING = "Pending"
    RUNNING = "Running"
    FAILED = "Failed"
    COMPLETED = "Completed"
    TERMINATING = "Terminating"
    TERMINATED = "Terminated"
    ABNORMAL = "Abnormal"

    @property
    def terminal(self) -> bool:
        return self in TERMINAL_PHASES


TERMINAL_PHASES = frozenset({Phase.FAILED, Phase.COMPLETED, Phase.TERMINATED, Phase.ABNORMAL})

#: Largest ``limit`` of a training job search (1-50 in the API reference).
MAX_JOBS_PER_SEARCH = 50
#: The most events one page of ``GET .../events`` lists.
MAX_EVENTS_PER_PAGE = 100


class ObsLocation(RequestModel):
    """``obs://bucket/key`` or ``/bucket/key``."""

    obs_url: str = Field(min_length=1)


class DataRemote(RequestModel):
    obs: ObsLocation


class DataChannel(RequestModel):
    """An entry of ``inputs`` or ``outputs``: the script gets ``--{name}={obs_url}``."""

    name: str = Field(min_length=1, max_length=64, pattern=r"[A-Za-z0-9_-]+")
    remote: DataRemote
    local_dir: str | None = None
    description: str | None = None

    @property
    def obs_url(self) -> str:
        return self.remote.obs.obs_url


class AlgorithmParameter(TextValued):
    """A running parameter, passed to the script as ``--name=value``."""

    name: str = Field(min_length=1)
    description: str | None = None


class EngineChoice(RequestModel):
    """``engine_id``, or ``engine_name`` + ``engine_version``, or a custom ``image_url``."""

    engine_id: str | None = None
    engine_name: str | None = None
    engine_version: str | None = None
    image_url: str | None = None

    @model_validator(mode="after")
    def _one_way(self) -> EngineChoice:
        named = bool(self.engine_name or self.engine_version)
        check_together(self, "engine_name", "engine_version")
        ways = [w for w, given in (("engine_id", self.engine_id), ("engine_name", named)) if given]
        if self.image_url and ways:
            raise FieldRuleError(
                "image_url", f"cannot be combined with {ways[0]}", "EXCLUSIVE", {"other": ways[0]}
            )
        if not ways and not self.image_url:
            raise FieldRuleError(
                "engine_id",
                "is required (or engine_name + engine_version, or image_url)",
                "REQUIRED_UNLESS",
                {"alternatives": ["engine_name + engine_version", "image_url"]},
            )
        return self


class Algorithm(RequestModel):
    """What runs: a saved algorithm (``id``), or code from OBS (``code_dir`` + ``boot_file``
    on a preset ``engine``), or a custom image (``engine.image_url`` + ``command``)."""

    id: str | None = None
    code_dir: str | None = None
    boot_file: str | None = None
    command: str | None = None
    engine: EngineChoice | None = None
    parameters: list[AlgorithmParameter] | None = None
    inputs: list[DataChannel] | None = None
    outputs: list[DataChannel] | None = None
    environments: dict[str, str] | None = None

    @model_validator(mode="after")
    def _what_runs(self) -> Algorithm:
        if self.id:
            return self
        if self.engine is None:
            raise FieldRuleError(
                "engine",
                "is required unless id (a saved algorithm) is given",
                "REQUIRED_UNLESS",
                {"alternatives": ["id"]},
            )
        if self.engine.image_url:
            if not self.command:
                raise FieldRuleError(
                    "command",
                    "is required with engine.image_url",
                    "REQUIRED_WITH",
                    {"other": "engine.image_url"},
                )
        else:
            for name in ("code_dir", "boot_file"):
                if not getattr(self, name):
                    raise FieldRuleError(
                        name,
                        "is required with a preset engine",
                        "REQUIRED_UNLESS",
                        {"alternatives": ["engine.image_url"]},
                    )
        if self.code_dir:
            try:
                check_obs_folder(self.code_dir)
            except RuleError as error:
                raise FieldRuleError.on("code_dir", error) from None
            if self.boot_file and not _same_place(self.boot_file).startswith(
                _same_place(self.code_dir)
            ):
                raise FieldRuleError(
                    "boot_file",
                    "must be a file inside code_dir",
                    "FILE_OUTSIDE_FOLDER",
                    {"folder": "code_dir"},
                )
        for index, output in enumerate(self.outputs or []):
            try:
                check_obs_folder(output.obs_url)
            except RuleError as error:
                raise FieldRuleError.on(f"outputs[{index}].remote.obs.obs_url", error) from None
        for channels, name in ((self.inputs, "inputs"), (self.outputs, "outputs")):
            duplicate = first_repeated([channel.name for channel in channels or []])
            if duplicate:
                raise FieldRuleError(
                    name,
                    f"the name {duplicate!r} is given twice",
                    "GIVEN_TWICE",
                    {"key": "name", "value": duplicate},
                )
        return self


def _same_place(url: str) -> str:
    """``obs://bucket/dir`` and ``/bucket/dir`` name the same folder."""
    return "/" + url.removeprefix("obs://").lstrip("/")


class ResourceChoice(RequestModel):
    flavor_id: str | None = None
    node_count: int = Field(default=1, ge=1)
    pool_id: str | None = None

    @model_validator(mode="after")
    def _somewhere(self) -> ResourceChoice:
        if not self.flavor_id and not self.pool_id:
            raise FieldRuleError(
                "flavor_id",
                "is required (or pool_id, a dedicated pool)",
                "REQUIRED_UNLESS",
                {"alternatives": ["pool_id"]},
            )
        return self


class LogExport(RequestModel):
    obs_url: str = Field(min_length=1)

    @model_validator(mode="after")
    def _folder(self) -> LogExport:
        try:
            check_obs_folder(self.obs_url)
        except RuleError as error:
            raise FieldRuleError.on("obs_url", error) from None
        return self


class JobSpec(RequestModel):
    resource: ResourceChoice
    log_export_path: LogExport | None = None


class JobMetadata(RequestModel):
    name: Name64
    workspace_id: str | None = None
    description: Description256 | None = None


class TrainingJobV2Create(RequestModel):
    """The body of ``POST /v2/{project_id}/training-jobs``."""

    kind: Literal["job"] = "job"
    metadata: JobMetadata
    algorithm: Algorithm
    spec: JobSpec


class SearchFilter(RequestModel):
    key: str = Field(min_length=1)
    operator: Literal["between", "like", "in", "not"]
    value: list[str]


class TrainingJobSearch(RequestModel):
    """The body of ``POST .../training-job-searches``. ``offset`` counts jobs (the API
    reference's wording reads as pages, its SDK reference and samples as records; records
    is the reading under which a paginator can never list a job twice)."""

    offset: int | None = Field(default=None, ge=0)
    limit: int | None = Field(default=None, ge=1, le=MAX_JOBS_PER_SEARCH)
    sort_by: str | None = None
    order: Literal["asc", "desc"] | None = None
    workspace_id: str | None = None
    filters: list[SearchFilter] | None = None


class JobAction(RequestModel):
    action_type: Literal["terminate"] = "terminate"


class JobDescription(RequestModel):
    """The body of ``PUT .../training-jobs/{id}``: the job's new description."""

    description: Description256


class LogLinesQuery(RequestModel):
    """``GET .../logs/{task_id}``: up to 500 lines after (``desc``) or before (``asc``)
    ``base_line``."""

    base_line: str | None = None
    lines: int | None = Field(default=None, ge=1, le=500)
    order: Literal["asc", "desc"] | None = None


class EventsQuery(RequestModel):
    """``GET .../events``: a page of at most 100 events, oldest first unless ``desc``."""

    offset: int | None = Field(default=None, ge=0)
    limit: int | None = Field(default=None, ge=1, le=MAX_EVENTS_PER_PAGE)
    order: Literal["asc", "desc"] | None = None
    level: Literal["Info", "Warning", "Error"] | None = None
    pattern: str | None = Field(default=None, max_length=256)


# --- responses -------------------------------------------------------------------------------


class JobStatusV2(ApiModel):
    phase: str | None = None
    secondary_phase: str | None = None
    #: Milliseconds the job has run.
    duration: int | None = None
    start_time: int | None = None
    tasks: list[str] = []
    task_statuses: list[dict[str, Any]] = []

    @property
    def job_phase(self) -> Phase | None:
        try:
            return Phase(self.phase)
        except ValueError:
            return None

    @property
    def terminal(self) -> bool:
        phase = self.job_phase
        return phase is not None and phase.terminal


class JobMetadataResponse(ApiModel):
    id: str
    name: str | None = None
    workspace_id: str | None = None
    description: str | None = None
    create_time: int | None = None
    user_name: str | None = None


class ChannelResponse(ApiModel):
    name: str | None = None
    local_dir: str | None = None
    remote: dict[str, Any] = {}

    @property
    def obs_url(self) -> str | None:
        obs = self.remote.get("obs")
        return obs.get("obs_url") if isinstance(obs, dict) else None


class AlgorithmResponse(ApiModel):
    id: str | None = None
    code_dir: str | None = None
    boot_file: str | None = None
    command: str | None = None
    engine: dict[str, Any] = {}
    parameters: list[dict[str, Any]] = []
    inputs: list[ChannelResponse] = []
    outputs: list[ChannelResponse] = []


class SpecResponse(ApiModel):
    resource: dict[str, Any] = {}
    log_export_path: dict[str, Any] = {}

    @property
    def node_count(self) -> int:
        return int(self.resource.get("node_count") or 1)

    @property
    def flavor_id(self) -> str | None:
        flavor = self.resource.get("flavor_id")
        return str(flavor) if flavor else None


class TrainingJobV2(ApiModel):
    """A job as create, show, search and terminate return it."""

    kind: str | None = None
    metadata: JobMetadataResponse
    status: JobStatusV2 = JobStatusV2()
    algorithm: AlgorithmResponse = AlgorithmResponse()
    spec: SpecResponse = SpecResponse()

    @property
    def id(self) -> str:
        return self.metadata.id

    @property
    def name(self) -> str:
        return self.metadata.name or self.metadata.id


class TrainingJobV2List(ApiModel):
    total: int | None = None
    count: int | None = None
    limit: int | None = None
    offset: int | None = None
    items: list[TrainingJobV2] = []


class TaskHistory(ApiModel):
    task: str
    ip: str | None = None
    host_ip: str | None = None
    schedule_count: int | None = None


class LogPreview(ApiModel):
    """The last part of a task's log (the preview keeps the last few megabytes)."""

    content: str = ""
    current_size: int | None = None
    full_size: int | None = None


class JobEvent(ApiModel):
    message: str = ""
    level: str | None = None
    time: str | None = None
    source: str | None = None


class JobEventList(ApiModel):
    total: int | None = None
    events: list[JobEvent] = []


class Metric(ApiModel):
    metric: str
    value: list[float] = []


class MetricList(ApiModel):
    metrics: list[Metric] = []


class Flavor(ApiModel):
    flavor_id: str
    flavor_name: str | None = None
    flavor_type: str | None = None
    max_num: int | None = None
    billing: dict[str, Any] = {}
    flavor_info: dict[str, Any] = {}


class FlavorList(ApiModel):
    total_count: int | None = None
    flavors: list[Flavor] = []


class EngineV2(ApiModel):
    engine_id: str
    engine_name: str | None = None
    engine_version: str | None = None
    v1_compatible: bool | None = None
    run_user: str | None = None
    image_info: dict[str, Any] = {}


class EngineV2List(ApiModel):
    total: int | None = None
    items: list[EngineV2] = []
