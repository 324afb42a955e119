"""Workspaces and their quotas: WS-1 ... WS-7 (004 §8)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from ..field_errors import RuleError
from .base import ApiModel, FieldRuleError, RequestModel
from .rules import Description256, Upper, WorkspaceName

AuthType = Annotated[Literal["PUBLIC", "PRIVATE", "INTERNAL"], Upper]
DEFAULT_WORKSPACE_ID = "0"


class Grant(RequestModel):
    user_id: str | None = None
    user_name: str | None = None

    @model_validator(mode="after")
    def _someone(self) -> Grant:
        if not (self.user_id or self.user_name):
            raise FieldRuleError(
                "user_id",
                "give user_id or user_name",
                "REQUIRED_UNLESS",
                {"alternatives": ["user_name"]},
            )
        return self


class _WorkspaceFields(RequestModel):
    description: Description256 | None = None
    auth_type: AuthType | None = None
    grants: list[Grant] | None = None

    @field_validator("name", check_fields=False)
    @classmethod
    def _not_default(cls, value: str | None) -> str | None:
        if value is not None and value.lower() == "default":
            raise RuleError("'default' is reserved", "RESERVED_NAME", {"name": "default"})
        return value

    @model_validator(mode="after")
    def _grants_for_internal(self) -> _WorkspaceFields:
        if self.grants and self.auth_type not in (None, "INTERNAL"):
            raise FieldRuleError(
                "grants",
                "apply only with auth_type INTERNAL",
                "ONLY_WITH",
                {"other": "auth_type", "value": "INTERNAL"},
            )
        return self


class WorkspaceCreate(_WorkspaceFields):
    name: WorkspaceName
    enterprise_project_id: str | None = None


class WorkspaceUpdate(_WorkspaceFields):
    name: WorkspaceName | None = None


class WorkspaceListQuery(RequestModel):
    offset: int | None = Field(default=None, ge=0)
    limit: int | None = Field(default=None, ge=1)
    sort_by: Literal["name", "update_time", "status"] | None = None
    order: Literal["asc", "desc"] | None = None
    enterprise_project_id: str | None = None
    name: str | None = None
    filter_accessible: bool | None = None


class QuotaChange(RequestModel):
    """C55: -1 (unlimited) or a positive number."""

    resource: str = Field(min_length=1)
    quota: int

    @field_validator("quota")
    @classmethod
    def _quota(cls, value: int) -> int:
        if value != -1 and value < 1:
            raise RuleError(
                "must be -1 (unlimited) or a positive number", "UNLIMITED_OR_POSITIVE", {}
            )
        return value


class QuotaUpdate(RequestModel):
    quotas: list[QuotaChange] = Field(min_length=1)


# --- responses -------------------------------------------------------------------------------


class Workspace(ApiModel):
    id: str
    name: str | None = None
    description: str | None = None
    owner: str | None = None
    status: str | None = None
    auth_type: str | None = None
    create_time: int | None = None
    update_time: int | None = None
    enterprise_project_id: str | None = None
    enterprise_project_name: str | None = None
    grants: list[dict[str, str | None]] | None = None


class WorkspaceList(ApiModel):
    total_count: int | None = None
    count: int | None = None
    workspaces: list[Workspace] = []


class WorkspaceRef(ApiModel):
    workspace_id: str


class Quota(ApiModel):
    resource: str
    name_en: str | None = None
    name_cn: str | None = None
    quota: int | None = None
    min_quota: int | None = None
    max_quota: int | None = None
    used_quota: int | None = None
    unit_en: str | None = None
    unit_cn: str | None = None
    update_time: int | None = None


class QuotaList(ApiModel):
    quotas: list[Quota] = []
