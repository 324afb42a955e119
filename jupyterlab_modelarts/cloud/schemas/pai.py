"""Alibaba Cloud PAI DSW instances: CreateInstance per seed 003, and the list/get/start/stop/
delete/update operations in the official SDK's shapes. Field names are PascalCase."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from ..field_errors import RuleError
from .base import ApiModel, FieldRuleError, RequestModel
from .rules import PaiInstanceName, Upper

PAI_SETTLED = frozenset({"Running", "Stopped", "Failed", "Deleted", "SaveFailed"})
_GPU_TYPES = ("V100", "A100", "T4", "A10", "P100")
_URI_SCHEMES = ("oss://", "nas://", "cpfs://", "bmcpfs://")
_SIZE = re.compile(r"\d+(\.\d+)?(Ki|Mi|Gi|Ti|KB|MB|GB|TB|K|M|G|T)?")


def _dynamic_mount(field: str, message: str, rule: str) -> FieldRuleError:
    """A rule of dynamic mounts (C87), which the front end words by its ``rule``."""
    return FieldRuleError(field, message, "DYNAMIC_MOUNT", {"rule": rule})


class PaiDataset(RequestModel):
    """C39, C87."""

    DatasetId: str | None = None
    DatasetVersion: str | None = None
    Uri: str | None = None
    MountPath: str | None = None
    MountAccess: Literal["RW", "RO"] | None = None
    Options: str | None = None
    OptionType: str | None = None
    Dynamic: bool | None = None

    @model_validator(mode="after")
    def _rules(self) -> PaiDataset:
        if bool(self.DatasetId) == bool(self.Uri):
            raise FieldRuleError(
                "DatasetId",
                "give exactly one of DatasetId and Uri",
                "EXACTLY_ONE_OF",
                {"choices": ["DatasetId", "Uri"]},
            )
        if self.DatasetVersion and not self.DatasetId:
            raise FieldRuleError(
                "DatasetVersion", "needs DatasetId", "ONLY_WITH", {"other": "DatasetId"}
            )
        if self.Options and self.OptionType:
            raise FieldRuleError(
                "OptionType", "cannot be combined with Options", "EXCLUSIVE", {"other": "Options"}
            )
        if self.Uri and not self.Uri.startswith(_URI_SCHEMES):
            raise FieldRuleError(
                "Uri",
                f"must start with {', '.join(_URI_SCHEMES)}",
                "STARTS_WITH",
                {"prefixes": list(_URI_SCHEMES)},
            )
        if self.Dynamic:
            if not (self.Uri or "").startswith("oss://") and self.DatasetId is None:
                raise _dynamic_mount("Dynamic", "dynamic mounts are OSS only", "oss_only")
            if self.MountAccess == "RW":
                raise _dynamic_mount("MountAccess", "dynamic mounts are read-only", "read_only")
            if self.MountPath and not self.MountPath.startswith("/mnt/dynamic/"):
                raise _dynamic_mount(
                    "MountPath", "a dynamic mount must be under /mnt/dynamic/", "mount_path"
                )
        return self


class PaiUserVpc(RequestModel):
    VpcId: str | None = None
    VSwitchId: str | None = None
    SecurityGroupId: str | None = None
    ExtendedCIDRs: list[str] | None = None
    DefaultRoute: str | None = None

    @model_validator(mode="after")
    def _cidrs_with_vswitch(self) -> PaiUserVpc:
        if self.VSwitchId and not self.ExtendedCIDRs:
            raise FieldRuleError(
                "ExtendedCIDRs",
                "is required with VSwitchId",
                "REQUIRED_WITH",
                {"other": "VSwitchId"},
            )
        return self


class PaiResources(RequestModel):
    CPU: str | None = None
    Memory: str | None = None
    SharedMemory: str | None = None
    GPU: str | None = None
    GPUType: str | None = None

    @field_validator("CPU", "GPU", mode="before")
    @classmethod
    def _count(cls, value: Any) -> Any:
        return str(value) if isinstance(value, (int, float)) else value

    @field_validator("GPUType")
    @classmethod
    def _gpu_type(cls, value: str | None) -> str | None:
        # C77; the document's own examples also say "v100" and "Tesla-V100-16G"
        if value is not None and not any(t in value.upper() for t in _GPU_TYPES):
            raise RuleError(
                f"must name one of {', '.join(_GPU_TYPES)}",
                "MUST_NAME_ONE_OF",
                {"choices": list(_GPU_TYPES)},
            )
        return value

    @field_validator("Memory", "SharedMemory")
    @classmethod
    def _size(cls, value: str | None) -> str | None:
        if value is not None and not _SIZE.fullmatch(value):
            raise RuleError(
                "must be a size such as 8Gi (without a unit it means MiB)", "NOT_A_SIZE", {}
            )
        return value


class PaiSpotSpec(RequestModel):
    SpotStrategy: Literal["SpotWithPriceLimit", "SpotAsPriceGo"] | None = None
    SpotPriceLimit: str | None = None
    SpotDuration: str | None = None
    SpotDiscountLimit: str | None = None

    @model_validator(mode="after")
    def _price(self) -> PaiSpotSpec:
        if self.SpotStrategy == "SpotWithPriceLimit" and not self.SpotPriceLimit:
            raise FieldRuleError(
                "SpotPriceLimit",
                "is required with SpotWithPriceLimit",
                "REQUIRED_WITH",
                {"other": "SpotStrategy", "value": "SpotWithPriceLimit"},
            )
        if self.SpotPriceLimit and not re.fullmatch(r"\d+(\.\d{1,3})?", self.SpotPriceLimit):
            raise FieldRuleError(
                "SpotPriceLimit",
                "must be a price with at most 3 decimals",
                "PRICE_DECIMALS",
                {"decimals": 3},
            )
        return self


class PaiLabel(RequestModel):
    Key: str
    Value: str | None = None


class PaiInstanceCreate(RequestModel):
    """CreateInstance (seed 003): every field is optional; the documented rules C13, C56, C77,
    C87 are checked."""

    InstanceName: PaiInstanceName | None = None
    WorkspaceId: str | None = None
    EcsSpec: str | None = None
    ImageId: str | None = None
    ImageUrl: str | None = None
    Datasets: list[PaiDataset] | None = None
    UserVpc: PaiUserVpc | None = None
    Accessibility: Annotated[Literal["PUBLIC", "PRIVATE"], Upper] | None = None
    EnvironmentVariables: dict[str, str] | None = None
    ResourceId: str | None = None
    Priority: int | None = Field(default=None, ge=1, le=9)
    RequestedResource: PaiResources | None = None
    Labels: list[PaiLabel] | None = None
    Tag: list[PaiLabel] | None = None
    CloudDisks: list[dict[str, Any]] | None = None
    WorkspaceSource: str | None = None
    OversoldType: (
        Literal["ForceQuotaOverSold", "AcceptQuotaOverSold", "ForbiddenQuotaOverSold"] | None
    ) = None
    SpotSpec: PaiSpotSpec | None = None

    @model_validator(mode="after")
    def _dynamic_last(self) -> PaiInstanceCreate:
        seen_dynamic = False
        for index, dataset in enumerate(self.Datasets or []):
            if dataset.Dynamic:
                seen_dynamic = True
            elif seen_dynamic:
                raise _dynamic_mount(
                    f"Datasets[{index}]", "dynamic datasets must come after the others", "last"
                )
        return self


class PaiInstanceUpdate(RequestModel):
    InstanceName: PaiInstanceName | None = None
    EcsSpec: str | None = None
    ImageId: str | None = None
    ImageUrl: str | None = None
    Accessibility: Annotated[Literal["PUBLIC", "PRIVATE"], Upper] | None = None
    RequestedResource: PaiResources | None = None
    Datasets: list[PaiDataset] | None = None
    Priority: int | None = Field(default=None, ge=1, le=9)


class PaiInstanceListQuery(RequestModel):
    InstanceName: str | None = None
    InstanceId: str | None = None
    Status: str | None = None
    WorkspaceId: str | None = None
    PageNumber: int | None = Field(default=None, ge=1)
    PageSize: int | None = Field(default=None, ge=1, le=100)
    SortBy: str | None = None
    Order: Literal["ASC", "DESC"] | None = None


# --- responses -------------------------------------------------------------------------------


class PaiResult(ApiModel):
    RequestId: str | None = None
    Success: bool | None = None
    Code: str | None = None
    Message: str | None = None
    HttpStatusCode: int | None = None
    InstanceId: str | None = None


class PaiInstance(ApiModel):
    InstanceId: str
    InstanceName: str | None = None
    Status: str | None = None
    WorkspaceId: str | None = None
    EcsSpec: str | None = None
    ImageUrl: str | None = None
    InstanceUrl: str | None = None
    JupyterlabUrl: str | None = None
    ReasonCode: str | None = None
    ReasonMessage: str | None = None
    GmtCreateTime: str | None = None
    GmtModifiedTime: str | None = None


class PaiInstanceList(ApiModel):
    TotalCount: int | None = None
    Instances: list[PaiInstance] = []
    RequestId: str | None = None


class PaiEcsSpecList(ApiModel):
    """ListEcsSpecs: ``EcsSpecs`` entries carry CPU, Memory (GiB), GPU, GPUType, IsAvailable,
    Price, ... and are kept as sent."""

    TotalCount: int | None = None
    EcsSpecs: list[dict[str, Any]] = []
    RequestId: str | None = None
