"""DevEnviron (old API) instances: DE-1 ... DE-6 (004 §4, seeds 000 and 001)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from .base import ApiModel, FieldRuleError, RequestModel
from .rules import Description512, Lower, Name64, ObsFolderInBucket

DevEnvAction = Literal["start", "stop", "restart", "queue", "dequeue"]  # C59
DEV_ENV_STATUSES = (
    "CREATE_QUEUING", "CREATING", "CREATE_FAILED", "START_QUEUING", "READY_TO_START", "STARTING",
    "RESTARTING", "START_FAILED", "RUNNING", "STOPPING", "STOPPED", "UNAVAILABLE", "DELETED",
    "RESIZING", "RESIZE_FAILED",
)  # fmt: skip
DEV_ENV_SETTLED = frozenset(
    {"CREATE_FAILED", "START_FAILED", "RUNNING", "STOPPED", "UNAVAILABLE", "DELETED",
     "RESIZE_FAILED"}
)  # fmt: skip


class AutoStop(RequestModel):
    """C40, C83: ``duration`` in seconds, 3,600-86,400, required when ``enable`` is true."""

    enable: bool | None = None
    duration: int | None = Field(default=None, ge=3600, le=86400)
    prompt: bool | None = None

    @model_validator(mode="after")
    def _duration_when_enabled(self) -> AutoStop:
        if self.enable and self.duration is None:
            raise FieldRuleError(
                "duration",
                "is required when auto stop is enabled",
                "REQUIRED_WITH",
                {"other": "enable", "value": True},
            )
        return self


class StorageLocation(RequestModel):
    path: ObsFolderInBucket | None = None
    volume_size: int | None = Field(default=None, ge=5, le=4096)  # C28, GB


class Storage(RequestModel):
    """C25-C28: OBS storage needs a folder path inside a bucket ending with ``/``."""

    type: Annotated[Literal["obs", "evs", "obsfs"], Lower]
    location: StorageLocation | None = None

    @model_validator(mode="after")
    def _obs_needs_path(self) -> Storage:
        if self.type == "obs" and (self.location is None or not self.location.path):
            raise FieldRuleError(
                "location.path",
                "is required for OBS storage",
                "REQUIRED_WITH",
                {"other": "type", "value": "obs"},
            )
        if self.type == "obs" and self.location and self.location.volume_size is not None:
            raise FieldRuleError(
                "location.volume_size",
                "applies to EVS storage only",
                "ONLY_WITH",
                {"other": "type", "value": "evs"},
            )
        return self


class DevEnvSpec(RequestModel):
    storage: Storage
    auto_stop: AutoStop | None = None
    annotations: dict[str, str] | None = None
    extend_storage: list[Storage] | None = None


class WorkspaceRef(RequestModel):
    id: str = "0"


class PoolRef(RequestModel):
    id: str
    type: str | None = None
    name: str | None = None


class DevEnvCreate(RequestModel):
    name: Name64
    profile_id: str = Field(min_length=1)
    flavor: str = Field(min_length=1)
    spec: DevEnvSpec
    description: Description512 | None = None
    workspace: WorkspaceRef | None = None
    pool: PoolRef | None = None


class DevEnvUpdateSpec(RequestModel):
    auto_stop: AutoStop | None = None


class DevEnvUpdate(RequestModel):
    description: Description512 | None = None
    spec: DevEnvUpdateSpec | None = None


class DevEnvListQuery(RequestModel):
    de_type: Literal["Notebook"] = "Notebook"  # C60: capital N required
    provision_type: Literal["Docker"] | None = None
    status: str | None = None
    sortby: Literal["name", "creation_timestamp"] | None = None
    order: Literal["asc", "desc"] | None = None
    offset: int | None = Field(default=None, ge=0)
    limit: int | None = Field(default=None, ge=0)
    workspace_id: str | None = None
    ai_project: str | None = None
    pool_id: str | None = None


# --- responses -------------------------------------------------------------------------------


class AutoStopState(ApiModel):
    enable: bool | None = None
    duration: int | None = None
    prompt: bool | None = None
    stop_timestamp: int | None = None
    remain_time: int | None = None


class DevEnvSpecState(ApiModel):
    storage: dict[str, Any] | None = None
    auto_stop: AutoStopState | None = None
    annotations: dict[str, Any] | None = None
    failed_reasons: dict[str, Any] | None = None


class DevEnvInstance(ApiModel):
    id: str
    name: str | None = None
    description: str | None = None
    status: str | None = None
    creation_timestamp: int | None = None  # ms, sent as a string
    latest_update_timestamp: int | None = None
    flavor: str | None = None
    flavor_details: dict[str, Any] | None = None
    profile: dict[str, Any] | None = None
    spec: DevEnvSpecState | None = None
    workspace: dict[str, Any] | None = None
    user: dict[str, Any] | None = None

    @property
    def url(self) -> str | None:
        annotations = (self.spec.annotations if self.spec else None) or {}
        return annotations.get("url") or None


class DevEnvList(ApiModel):
    total_count: int | None = None
    instances: list[DevEnvInstance] = []


class DevEnvDeleted(ApiModel):
    instance_id: str | None = None


class DevEnvActionResult(ApiModel):
    current_status: str | None = None
    previous_state: str | None = None
