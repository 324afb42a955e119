"""Real-time, batch and edge services: SV-1 ... SV-11 (004 §7)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from .base import ApiModel, FieldRuleError, OneOrMany, RequestModel, first_repeated
from .rules import CjkName64, Description100

InferType = Literal["real-time", "batch", "edge"]
REALTIME_SPECIFICATIONS = frozenset(
    {
        "modelarts.vm.cpu.2u", "modelarts.vm.gpu.0.25p4", "modelarts.vm.gpu.0.5p4",
        "modelarts.vm.gpu.p4", "modelarts.vm.gpu.0.25t4", "modelarts.vm.gpu.0.5t4",
        "modelarts.vm.gpu.t4", "modelarts.vm.arm.d310.3u6g", "modelarts.vm.ai1.a310",
        "modelarts.vm.cpu.free", "modelarts.vm.gpu.free", "custom",
    }
)  # fmt: skip
BATCH_EDGE_SPECIFICATIONS = frozenset({"modelarts.vm.cpu.2u", "modelarts.vm.gpu.p4"})
SERVICE_SETTLED = frozenset({"running", "failed", "stopped", "finished", "concerning"})


class ServiceSchedule(RequestModel):
    """C50."""

    type: Literal["stop"] = "stop"
    time_unit: Literal["DAYS", "HOURS", "MINUTES"]
    duration: int = Field(ge=1)


class ServiceModelConfig(RequestModel):
    """One ``config[]`` entry; which fields are required depends on the service type, so the
    checks live in :func:`check_service_config`."""

    model_id: str | None = None
    specification: str | None = None
    weight: int | None = Field(default=None, ge=0, le=100)
    instance_count: int | None = Field(default=None, ge=1)
    custom_spec: dict[str, Any] | None = None
    envs: dict[str, str] | None = None
    cluster_id: str | None = None
    src_type: Literal["", "ManifestFile"] | None = None
    src_path: str | None = None
    dest_path: str | None = None
    req_uri: str | None = None
    mapping_type: Literal["file", "csv"] | None = None
    mapping_rule: dict[str, Any] | None = None
    nodes: list[str] | None = None
    additional_properties: dict[str, Any] | None = None


_REQUIRED = {
    "real-time": ("model_id", "specification", "weight", "instance_count"),
    "batch": (
        "model_id", "specification", "instance_count", "src_path", "dest_path", "req_uri",
        "mapping_type",
    ),
    "edge": ("model_id", "specification", "nodes"),
}  # fmt: skip


def check_service_config(infer_type: str, config: list[ServiceModelConfig]) -> None:
    """C51-C53, C70."""
    if not config:
        raise FieldRuleError("config", "needs at least one model", "TOO_FEW", {"min_length": 1})
    allowed = REALTIME_SPECIFICATIONS if infer_type == "real-time" else BATCH_EDGE_SPECIFICATIONS
    for index, entry in enumerate(config):
        for name in _REQUIRED[infer_type]:
            if getattr(entry, name) in (None, "", []):
                raise FieldRuleError(
                    f"config[{index}].{name}",
                    f"is required for {infer_type}",
                    "REQUIRED_WITH",
                    {"other": "infer_type", "value": infer_type},
                )
        if entry.specification not in allowed:
            raise FieldRuleError(
                f"config[{index}].specification",
                f"must be one of {', '.join(sorted(allowed))} for {infer_type}",
                "NOT_A_CHOICE",
                {"expected": sorted(allowed)},
            )
        if entry.specification == "custom" and not entry.custom_spec:
            raise FieldRuleError(
                f"config[{index}].custom_spec",
                "is required with custom",
                "REQUIRED_WITH",
                {"other": "specification", "value": "custom"},
            )
        if entry.mapping_type == "csv" and not entry.mapping_rule:
            raise FieldRuleError(
                f"config[{index}].mapping_rule",
                "is required for csv mapping",
                "REQUIRED_WITH",
                {"other": "mapping_type", "value": "csv"},
            )
    if infer_type == "real-time":
        total = sum(entry.weight or 0 for entry in config)
        if total != 100:
            raise FieldRuleError(
                "config",
                f"weights must add up to 100 (they add up to {total})",
                "WEIGHTS_TOTAL",
                {"total": total},
            )
        repeated = first_repeated([entry.model_id for entry in config])
        if repeated is not None:
            raise FieldRuleError(
                "config",
                "each model version may appear only once",
                "GIVEN_TWICE",
                {"key": "model_id", "value": repeated},
            )
    elif len(config) > 1:
        raise FieldRuleError(
            "config",
            f"a {infer_type} service takes exactly one model",
            "TOO_MANY",
            {"max_length": 1},
        )


class ServiceCreate(RequestModel):
    service_name: CjkName64
    infer_type: InferType
    config: list[ServiceModelConfig]
    description: Description100 | None = None
    workspace_id: str | None = None
    vpc_id: str | None = None
    subnet_network_id: str | None = None
    security_group_id: str | None = None
    cluster_id: str | None = None
    schedule: list[ServiceSchedule] | None = None
    additional_properties: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _rules(self) -> ServiceCreate:
        check_service_config(self.infer_type, self.config)
        if self.schedule and self.infer_type != "real-time":
            raise FieldRuleError(
                "schedule",
                "applies to real-time services only",
                "ONLY_WITH",
                {"other": "infer_type", "value": "real-time"},
            )
        if self.vpc_id and not self.cluster_id:  # C82
            for name in ("subnet_network_id", "security_group_id"):
                if not getattr(self, name):
                    raise FieldRuleError(
                        name, "is required with vpc_id", "REQUIRED_WITH", {"other": "vpc_id"}
                    )
        return self


class ServiceUpdate(RequestModel):
    """SV-5. C73: ``status`` and ``config`` cannot be changed in one call."""

    description: Description100 | None = None
    status: Literal["running", "stopped"] | None = None
    config: list[ServiceModelConfig] | None = None
    schedule: list[ServiceSchedule] | None = None
    additional_properties: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _status_or_config(self) -> ServiceUpdate:
        if self.status and self.config:
            raise FieldRuleError(
                "config",
                "cannot be changed together with status",
                "EXCLUSIVE",
                {"other": "status"},
            )
        return self


class ServiceListQuery(RequestModel):
    service_id: str | None = None
    service_name: str | None = None
    model_id: str | None = None
    workspace_id: str | None = None
    infer_type: InferType | None = None
    status: (
        Literal["running", "deploying", "concerning", "failed", "stopped", "finished"] | None
    ) = None
    offset: int | None = Field(default=None, ge=0)
    limit: int | None = Field(default=None, ge=1)
    sort_by: Literal["publish_at", "service_name"] | None = None
    order: Literal["asc", "desc"] | None = None


class ServiceEventQuery(RequestModel):
    event_type: Literal["normal", "abnormal"] | None = None
    start_time: int | None = None
    end_time: int | None = None
    offset: int | None = Field(default=None, ge=0)
    limit: int | None = Field(default=None, ge=1)
    sort_by: str | None = None
    order: Literal["asc", "desc"] | None = None


class ClusterListQuery(RequestModel):
    cluster_name: str | None = None
    status: str | None = None
    offset: int | None = Field(default=None, ge=0)
    limit: int | None = Field(default=None, ge=1)
    sort_by: Literal["created_at", "cluster_name"] | None = None
    order: Literal["asc", "desc"] | None = None


# --- responses -------------------------------------------------------------------------------


class ServiceCreated(ApiModel):
    service_id: str


class ServiceSummary(ApiModel):
    service_id: str
    service_name: str | None = None
    description: str | None = None
    infer_type: str | None = None
    status: str | None = None
    progress: int | None = None
    publish_at: int | None = None
    workspace_id: str | None = None
    invocation_times: int | None = None
    failed_times: int | None = None
    due_time: int | None = None
    schedule: OneOrMany[dict[str, Any]] | None = None


class ServiceList(ApiModel):
    total_count: int | None = None
    count: int | None = None
    services: list[ServiceSummary] = []


class ServiceDetail(ServiceSummary):
    access_address: str | None = None
    bind_access_address: str | None = None
    error_msg: str | None = None
    config: list[dict[str, Any]] = []
    cluster_id: str | None = None
    update_time: int | None = None
    debug_url: str | None = None


class ServiceMonitor(ApiModel):
    service_id: str | None = None
    service_name: str | None = None
    monitors: list[dict[str, Any]] = []


class ServiceUpdateLogs(ApiModel):
    service_id: str | None = None
    service_name: str | None = None
    logs: list[dict[str, Any]] = []


class ServiceEvent(ApiModel):
    occur_time: int | None = None
    event_type: str | None = None
    event_info: str | None = None


class ServiceEvents(ApiModel):
    service_id: str | None = None
    service_name: str | None = None
    total_count: int | None = None
    count: int | None = None
    events: list[ServiceEvent] = []


class ServiceSpecification(ApiModel):
    specification: str
    billing_spec: str | None = None
    spec_status: str | None = None
    is_open: bool | None = None
    is_free: bool | None = None
    over_quota: bool | None = None
    source_type: str | None = None


class ServiceSpecificationList(ApiModel):
    specifications: list[ServiceSpecification] = []


class Cluster(ApiModel):
    cluster_id: str
    cluster_name: str | None = None
    status: str | None = None
    created_at: int | None = None
    nodes: OneOrMany[dict[str, Any]] = []


class ClusterList(ApiModel):
    total_count: int | None = None
    count: int | None = None
    clusters: list[Cluster] = []
