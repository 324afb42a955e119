"""Training jobs, versions, logs, built-in algorithms, configurations and visualization jobs
(004 §5.1-§5.3), and the numeric job statuses of 004 §5.5."""

from __future__ import annotations

import enum
from typing import Any, Literal

from pydantic import AliasChoices, Field, model_validator

from .base import (
    ApiModel,
    FieldRuleError,
    JsonValue,
    OneOrMany,
    RequestModel,
    TextValued,
    check_together,
)
from .rules import Description256, Name20, Name64, ObsFolder, SearchContent


class JobStatus(enum.IntEnum):
    """004 §5.5 Table 5-116, shared by training job versions and visualization jobs (and by
    Local ModelArts, which answers with them)."""

    UNKNOWN = 0
    INIT = 1
    IMAGE_CREATING = 2
    IMAGE_FAILED = 3
    SUBMIT_TRYING = 4
    SUBMIT_FAILED = 5
    DELETE_FAILED = 6
    WAITING = 7
    RUNNING = 8
    KILLING = 9
    COMPLETED = 10
    FAILED = 11
    KILLED = 12
    CANCELED = 13
    LOST = 14
    SCALING = 15
    SUBMIT_MODEL_FAILED = 16
    DEPLOY_SERVICE_FAILED = 17
    CHECK_INIT = 18
    CHECK_RUNNING = 19
    CHECK_RUNNING_COMPLETED = 20
    CHECK_FAILED = 21

    @property
    def terminal(self) -> bool:
        return self in TERMINAL_JOB_STATUSES


TERMINAL_JOB_STATUSES = frozenset(
    JobStatus(n) for n in (3, 5, 6, 10, 11, 12, 13, 14, 16, 17, 20, 21)
)


class Parameter(TextValued):
    """A running parameter, passed to the script as ``--label=value``. TC-3's sample names
    it ``key``."""

    label: str = Field(min_length=1, validation_alias=AliasChoices("label", "key"))


class DataSource(RequestModel):
    """C66, C80."""

    type: Literal["obs", "dataset"] | None = None
    data_url: ObsFolder | None = None
    dataset_id: str | None = None
    dataset_version: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> DataSource:
        if self.dataset_id or self.dataset_version:
            check_together(self, "dataset_id", "dataset_version")
            if self.data_url:
                raise FieldRuleError(
                    "data_url",
                    "cannot be combined with dataset_id",
                    "EXCLUSIVE",
                    {"other": "dataset_id"},
                )
        elif not self.data_url:
            raise FieldRuleError(
                "data_url",
                "is required (or dataset_id and dataset_version)",
                "REQUIRED_UNLESS",
                {"alternatives": ["dataset_id + dataset_version"]},
            )
        return self


class _Mount(RequestModel):
    src_path: str = Field(min_length=1)
    dest_path: str = Field(min_length=1)
    read_only: bool | None = None


class NfsMount(_Mount):
    id: str = Field(min_length=1)


class TrainingVolume(RequestModel):
    """C37: exactly one of ``nfs`` and ``host_path``."""

    nfs: NfsMount | None = None
    host_path: _Mount | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> TrainingVolume:
        if (self.nfs is None) == (self.host_path is None):
            raise FieldRuleError(
                "nfs",
                "give exactly one of nfs and host_path",
                "EXACTLY_ONE_OF",
                {"choices": ["nfs", "host_path"]},
            )
        return self


def _bucket_path(url: str) -> str:
    """``obs://bucket/dir`` and ``/bucket/dir`` name the same folder."""
    return "/" + url.removeprefix("obs://").lstrip("/")


class TrainingSettings(RequestModel):
    """The job definition shared by jobs, versions and configurations, with the either/or
    rules C78 (data) and C79 (code)."""

    worker_server_num: int = Field(ge=1)
    spec_id: int
    app_url: ObsFolder | None = None
    boot_file_url: str | None = None
    engine_id: int | None = None
    model_id: int | None = None
    user_image_url: str | None = None
    user_command: str | None = None
    parameter: list[Parameter] | None = None
    data_url: ObsFolder | None = None
    dataset_id: str | None = None
    dataset_version_id: str | None = None
    data_source: list[DataSource] | None = None
    train_url: ObsFolder | None = None
    log_url: ObsFolder | None = None

    @model_validator(mode="after")
    def _either_or(self) -> TrainingSettings:
        choices = {
            "data_url": self.data_url,
            "dataset_id": self.dataset_id or self.dataset_version_id,
            "data_source": self.data_source,
        }
        inputs = [name for name, given in choices.items() if given]
        if len(inputs) > 1:
            raise FieldRuleError(
                inputs[1],
                f"give only one of {' / '.join(inputs)}",
                "EXACTLY_ONE_OF",
                {"choices": list(choices)},
            )
        if not inputs:
            raise FieldRuleError(
                "data_url",
                "is required (or dataset_id + dataset_version_id, or data_source)",
                "REQUIRED_UNLESS",
                {"alternatives": ["dataset_id + dataset_version_id", "data_source"]},
            )
        check_together(self, "dataset_id", "dataset_version_id")
        if self.data_source and len({s.type or "obs" for s in self.data_source}) > 1:
            raise FieldRuleError(
                "data_source",
                "do not mix obs and dataset sources",
                "SAME_VALUE",
                {"key": "type"},
            )
        if self.model_id is None and not self.user_image_url:
            for name in ("app_url", "boot_file_url", "engine_id"):
                if getattr(self, name) is None:
                    raise FieldRuleError(
                        name,
                        "is required unless model_id (built-in algorithm) is given",
                        "REQUIRED_UNLESS",
                        {"alternatives": ["model_id"]},
                    )
        if self.boot_file_url and self.app_url and not self.boot_file_url.startswith(self.app_url):
            raise FieldRuleError(
                "boot_file_url",
                "must be a file inside app_url",
                "FILE_OUTSIDE_FOLDER",
                {"folder": "app_url"},
            )
        return self


class TrainingJobConfig(TrainingSettings):
    train_url: ObsFolder  # mandatory for a job (optional in a configuration)
    create_version: bool | None = None
    volumes: list[TrainingVolume] | None = None


class TrainingVersionConfig(TrainingSettings):
    train_url: ObsFolder
    pre_version_id: int  # C81


class TrainingJobCreate(RequestModel):
    job_name: Name64
    config: TrainingJobConfig
    job_desc: Description256 | None = None
    workspace_id: str | None = None


class TrainingVersionCreate(RequestModel):
    config: TrainingVersionConfig
    job_desc: Description256 | None = None


class TrainingJobListQuery(RequestModel):
    status: str | None = None  # one or several numeric codes
    per_page: int | None = Field(default=None, ge=1, le=1000)  # C44
    page: int | None = Field(default=None, ge=1, le=65535)
    sort_by: (
        Literal["job_name", "job_desc", "status", "duration", "version_count", "create_time"] | None
    ) = Field(default=None, alias="sortBy")
    order: Literal["asc", "desc"] | None = None
    search_content: SearchContent | None = None
    workspace_id: str | None = None


class ByteLogQuery(RequestModel):
    """C47."""

    log_file: str = Field(min_length=1)
    start_byte: int | None = Field(default=None, ge=-1)
    offset: int | None = Field(default=None, ge=-2048, le=2048)


class LineLogQuery(RequestModel):
    """C48."""

    log_file: str = Field(min_length=1)
    base_line: str | None = None
    lines: int | None = Field(default=None, ge=0, le=500)
    order: Literal["asc", "desc"] | None = None


class BuiltInAlgorithmQuery(RequestModel):
    per_page: int | None = Field(default=None, ge=1, le=100)  # C46
    page: int | None = Field(default=None, ge=1)
    sort_by: (
        Literal[
            "engine", "model_name", "model_precision", "model_usage", "model_size",
            "create_time", "parameter",
        ]
        | None
    ) = Field(default=None, alias="sortBy")  # fmt: skip
    order: Literal["asc", "desc"] | None = None
    search_content: SearchContent | None = None


class TrainingConfigCreate(TrainingSettings):
    config_name: Name20
    config_desc: Description256 | None = None


class TrainingConfigUpdate(TrainingSettings):
    config_desc: Description256 | None = None


class TrainingConfigListQuery(RequestModel):
    per_page: int | None = Field(default=None, ge=1, le=1000)
    page: int | None = Field(default=None, ge=1)
    sort_by: Literal["config_name", "config_desc", "create_time"] | None = Field(
        default=None, alias="sortBy"
    )
    order: Literal["asc", "desc"] | None = None
    search_content: SearchContent | None = None
    config_type: Literal["custom", "sample"] | None = None

    @model_validator(mode="after")
    def _sample_sorting(self) -> TrainingConfigListQuery:
        if self.config_type == "sample" and self.sort_by == "create_time":
            raise FieldRuleError(
                "sortBy",
                "create_time cannot sort sample configurations",
                "EXCLUSIVE",
                {"given": "create_time", "other": "config_type", "value": "sample"},
            )
        return self


class VisualizationJobCreate(RequestModel):
    job_name: Name20
    train_url: ObsFolder
    job_desc: Description256 | None = None


class VisualizationJobListQuery(RequestModel):
    status: str | None = None
    per_page: int | None = Field(default=None, ge=1, le=100)
    page: int | None = Field(default=None, ge=1)
    sort_by: Literal["job_id", "job_name", "job_desc", "create_time", "status"] | None = Field(
        default=None, alias="sortBy"
    )
    order: Literal["asc", "desc"] | None = None
    search_content: SearchContent | None = None
    workspace_id: str | None = None


class DescriptionUpdate(RequestModel):
    job_desc: Description256 = ""


# --- responses -------------------------------------------------------------------------------


class TrainingJobCreated(ApiModel):
    """TJ-1/TJ-6 (and VJ-1) answer; the numbers come as strings."""

    job_id: int
    job_name: str | None = None
    status: int | None = None
    create_time: int | None = None
    version_id: int | None = None
    version_name: str | None = None
    resource_id: str | None = None


class TrainingJobSummary(ApiModel):
    job_id: int
    job_name: str | None = None
    version_id: int | None = None
    status: int | None = None
    create_time: int | None = None
    duration: int | None = None
    job_desc: str | None = None
    version_count: int | None = None


class TrainingJobList(ApiModel):
    job_total_count: int | None = None
    job_count_limit: int | None = None
    quotas: int | None = None
    jobs: list[TrainingJobSummary] = []


class TrainingJobVersion(ApiModel):
    """TJ-3, and the elements of TJ-5 ``versions``. The metric lists are decoded when they
    arrive as JSON text."""

    version_id: int
    job_id: int | None = None
    job_name: str | None = None
    job_desc: str | None = None
    version_name: str | None = None
    pre_version_id: int | None = None
    status: int | None = None
    engine_id: int | None = None
    engine_name: str | None = None
    engine_version: str | None = None
    app_url: str | None = None
    boot_file_url: str | None = None
    create_time: int | None = None
    start_time: int | None = None
    duration: int | None = None
    spec_id: int | None = None
    spec_code: str | None = None
    worker_server_num: int | None = None
    parameter: list[dict[str, Any]] = []
    data_url: str | None = None
    train_url: str | None = None
    log_url: str | None = None
    model_id: str | None = None
    model_metric_list: JsonValue = None
    system_metric_list: JsonValue = None
    #: Each worker's `task`, `phase` and `log_file`: Local ModelArts sends it (not in the v1
    #: documents), the cloud does not.
    task_statuses: list[dict[str, Any]] = []

    @property
    def job_status(self) -> JobStatus:
        try:
            return JobStatus(self.status or 0)
        except ValueError:
            return JobStatus.UNKNOWN


class TrainingVersionList(ApiModel):
    job_id: int | None = None
    job_name: str | None = None
    job_desc: str | None = None
    version_count: int | None = None
    versions: list[TrainingJobVersion] = []


class LogFileNames(ApiModel):
    log_file_list: OneOrMany[str] = []


class ByteLog(ApiModel):
    """TJ-11; the sample names ``log_byte_count`` ``count``."""

    log: str = ""
    log_byte_count: int | None = Field(
        default=None, validation_alias=AliasChoices("log_byte_count", "count")
    )
    end_byte: int | None = None


class LineLog(ApiModel):
    """A page of a log by line, in v1 (TJ-13) and v2 alike; line markers exceed 2**53, so they
    stay strings."""

    content: str = ""
    lines: int | None = None
    start_line: str | None = None
    end_line: str | None = None


class BuiltInAlgorithm(ApiModel):
    model_id: int
    model_name: str | None = None
    model_usage: int | None = None
    model_precision: str | None = None
    model_size: int | None = None
    parameter: JsonValue = None
    engine_id: int | None = None
    engine_name: str | None = None
    engine_version: str | None = None
    create_time: int | None = None


class BuiltInAlgorithmList(ApiModel):
    model_total_count: int | None = None
    models: list[BuiltInAlgorithm] = []


class TrainingConfigSummary(ApiModel):
    config_name: str
    config_desc: str | None = None
    create_time: int | None = None
    engine_id: int | None = None
    engine_name: str | None = None
    engine_version: str | None = None


class TrainingConfigList(ApiModel):
    config_total_count: int | None = None
    configs: list[TrainingConfigSummary] = []


class TrainingConfig(ApiModel):
    config_name: str
    config_desc: str | None = None
    worker_server_num: int | None = None
    spec_id: int | None = None
    engine_id: int | None = None
    app_url: str | None = None
    boot_file_url: str | None = None
    model_id: int | None = None
    parameter: list[dict[str, Any]] = []
    data_url: str | None = None
    train_url: str | None = None
    log_url: str | None = None
    create_time: int | None = None


class VisualizationSchedule(ApiModel):
    type: str | None = None
    time_unit: str | None = Field(
        default=None, validation_alias=AliasChoices("time_unit", "timeUnit")
    )
    duration: int | None = None


class VisualizationJob(ApiModel):
    job_id: int
    job_name: str | None = None
    job_desc: str | None = None
    status: int | None = None
    create_time: int | None = None
    duration: int | None = None
    service_url: str | None = None
    train_url: str | None = None
    resource_id: str | None = None
    remaining_duration: int | None = None
    schedule: OneOrMany[VisualizationSchedule] = []


class VisualizationJobList(ApiModel):
    job_total_count: int | None = None
    job_count_limit: int | None = None
    quotas: int | None = None
    jobs: list[VisualizationJob] = []


class ResourceSpec(ApiModel):
    spec_id: int
    spec_code: str | None = None
    core: str | None = None
    cpu: str | None = None
    gpu_num: int | None = None
    gpu_type: str | None = None
    max_num: int | None = None
    unit_num: int | None = None
    storage: str | None = None
    interface_type: int | None = None
    no_resource: bool | None = None


class ResourceSpecList(ApiModel):
    spec_total_count: int | None = None
    specs: list[ResourceSpec] = []


class Engine(ApiModel):
    engine_id: int
    engine_type: int | None = None
    engine_name: str | None = None
    engine_version: str | None = None


class EngineList(ApiModel):
    engines: list[Engine] = []
