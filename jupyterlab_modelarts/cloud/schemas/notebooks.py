"""Notebooks (new API): create per seed 002; list/show/update/delete/start/stop/lease/flavors in
the shapes of the official SDK."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, model_validator

from .base import ApiModel, FieldRuleError, RequestModel
from .rules import Description512, Name64, Upper, Uuid

NOTEBOOK_STATUSES = (
    "INIT", "CREATING", "STARTING", "STOPPING", "DELETING", "RUNNING", "STOPPED", "SNAPSHOTTING",
    "CREATE_FAILED", "START_FAILED", "DELETE_FAILED", "ERROR", "DELETED", "FROZEN",
)  # fmt: skip
NOTEBOOK_SETTLED = frozenset(
    {"RUNNING", "STOPPED", "CREATE_FAILED", "START_FAILED", "DELETE_FAILED", "ERROR", "DELETED",
     "FROZEN"}
)  # fmt: skip


class NotebookVolume(RequestModel):
    """C30-C32."""

    category: Annotated[Literal["EFS", "EVS"], Upper]
    ownership: Annotated[Literal["MANAGED", "DEDICATED"], Upper]
    capacity: int | None = Field(default=None, ge=1, le=4096)  # GB
    uri: str | None = None

    @model_validator(mode="after")
    def _dedicated_efs(self) -> NotebookVolume:
        if self.ownership == "DEDICATED":
            if self.category != "EFS":
                raise FieldRuleError(
                    "ownership",
                    "DEDICATED storage is only possible with EFS",
                    "ONLY_WITH",
                    {"given": "DEDICATED", "other": "category", "value": "EFS"},
                )
            if not self.uri:
                raise FieldRuleError(
                    "uri",
                    "is required for DEDICATED EFS storage",
                    "REQUIRED_WITH",
                    {"other": "ownership", "value": "DEDICATED"},
                )
        return self


class NotebookEndpoint(RequestModel):
    """C42."""

    allowed_access_ips: list[str] | None = Field(default=None, max_length=5)
    dev_service: Annotated[Literal["NOTEBOOK", "SSH"], Upper] | None = None
    ssh_keys: list[str] | None = None


class NotebookCreate(RequestModel):
    name: Name64
    flavor: str = Field(min_length=1)
    image_id: Uuid
    volume: NotebookVolume
    description: Description512 | None = None
    duration: int | None = Field(default=None, ge=0)  # C41: milliseconds
    endpoints: list[NotebookEndpoint] | None = None
    feature: Annotated[Literal["NOTEBOOK", "DEFAULT"], Upper] | None = None
    pool_id: str | None = None
    workspace_id: str | None = None


class NotebookUpdate(RequestModel):
    name: Name64 | None = None
    description: Description512 | None = None
    flavor: str | None = None
    image_id: Uuid | None = None
    storage_new_size: int | None = Field(default=None, ge=1, le=4096)
    endpoints: list[NotebookEndpoint] | None = None


class NotebookListQuery(RequestModel):
    feature: Annotated[Literal["NOTEBOOK", "DEFAULT"], Upper] | None = None
    name: str | None = None
    status: str | None = None
    workspace_id: str | None = None
    pool_id: str | None = None
    owner: str | None = None
    sort_key: str | None = None
    sort_dir: Annotated[Literal["ASC", "DESC"], Upper] | None = None
    offset: int | None = Field(default=None, ge=0)
    limit: Literal[10, 20, 50] | None = None


# --- responses -------------------------------------------------------------------------------


class NotebookImage(ApiModel):
    id: str | None = None
    name: str | None = None
    swr_path: str | None = None
    type: str | None = None


class NotebookLease(ApiModel):
    """``create_time``/``update_time`` are printed ``create_at``/``update_at`` in the samples."""

    create_time: int | None = Field(
        default=None, validation_alias=AliasChoices("create_time", "create_at")
    )
    update_time: int | None = Field(
        default=None, validation_alias=AliasChoices("update_time", "update_at")
    )
    duration: int | None = None  # ms
    enable: bool | None = None
    type: str | None = None


class JobProgress(ApiModel):
    notebook_id: str | None = None
    status: str | None = None
    step: int | None = None
    step_description: str | None = Field(
        default=None, validation_alias=AliasChoices("step_description", "description")
    )


class Notebook(ApiModel):
    id: str
    name: str | None = None
    description: str | None = None
    status: str | None = None
    flavor: str | None = None
    feature: str | None = None
    image: NotebookImage | None = None
    lease: NotebookLease | None = None
    volume: dict[str, Any] | None = None
    # both may carry the instance's access token: kept out of repr (and so out of logs)
    url: str | None = Field(default=None, repr=False)
    token: str | None = Field(default=None, repr=False)
    workspace_id: str | None = None
    fail_reason: str | None = None
    action_progress: list[JobProgress] = []
    endpoints: list[dict[str, Any]] | None = None
    pool: dict[str, Any] | None = None
    create_at: int | None = None
    update_at: int | None = None


class NotebookPage(ApiModel):
    current: int | None = None
    pages: int | None = None
    size: int | None = None
    total: int | None = None
    data: list[Notebook] = []


class NotebookFlavor(ApiModel):
    id: str | None = None
    name: str | None = None
    category: str | None = None
    type: str | None = None
    arch: str | None = None
    description: str | None = None
    sold_out: bool | None = None
    billing: dict[str, Any] | None = None


class NotebookFlavorPage(ApiModel):
    current: int | None = None
    pages: int | None = None
    size: int | None = None
    total: int | None = None
    flavors: list[NotebookFlavor] = Field(
        default=[], validation_alias=AliasChoices("flavors", "data")
    )
