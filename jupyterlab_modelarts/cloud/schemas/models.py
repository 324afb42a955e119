"""ModelArts models (AI applications): MD-1 ... MD-4 (004 §6.1)."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator

from ..field_errors import RuleError
from .base import ApiModel, FieldRuleError, JsonValue, RequestModel
from .rules import (
    CjkName64,
    DocName,
    HttpUrl,
    ModelAlgorithm,
    ModelDescription,
    ModelVersion,
    PackageText,
    check_obs_folder,
)

ModelType = Literal[
    "TensorFlow", "MXNet", "Caffe", "Spark_MLlib", "Scikit_Learn", "XGBoost", "Image", "PyTorch",
    "MindSpore",
]  # fmt: skip
InstallType = Literal["real-time", "edge", "batch"]
MODEL_SETTLED = frozenset({"published", "failed", "building_failed"})


def _install_type(value: Any) -> Any:
    return "real-time" if value == "realtime" else value


def _as_json_text(value: Any) -> Any:
    """Fields documented as JSON strings may be given as objects."""
    return json.dumps(value, separators=(",", ":")) if isinstance(value, (dict, list)) else value


JsonText = Annotated[str, BeforeValidator(_as_json_text)]


class ModelParam(RequestModel):
    """C24, C68."""

    url: str | None = None
    method: Literal["post", "get"] | None = None
    protocol: str | None = None
    param_name: str | None = Field(default=None, max_length=64)
    param_type: str | None = None
    min: float | None = None
    max: float | None = None
    param_desc: str | None = Field(default=None, max_length=100)


class Package(RequestModel):
    """C10: ``restraint`` is required with ``package_version``."""

    package_name: PackageText
    package_version: PackageText | None = None
    restraint: Literal["EXACT", "ATLEAST", "ATMOST"] | None = None

    @model_validator(mode="after")
    def _restraint_with_version(self) -> Package:
        if self.package_version and not self.restraint:
            raise FieldRuleError(
                "restraint",
                "is required when package_version is given",
                "REQUIRED_WITH",
                {"other": "package_version"},
            )
        return self


class Dependency(RequestModel):
    installer: Literal["pip"] = "pip"
    packages: list[Package] = Field(min_length=1)


class ModelDoc(RequestModel):
    doc_name: DocName
    doc_url: HttpUrl


class ModelCreate(RequestModel):
    """MD-1, with rules C6-C10, C20, C24, C35, C68."""

    model_name: CjkName64
    model_version: ModelVersion
    source_location: str = Field(min_length=1)
    model_type: ModelType
    source_job_id: str | None = None
    source_job_version: str | None = None
    source_type: Literal["auto"] | None = None
    runtime: str | None = None
    description: ModelDescription | None = None
    model_algorithm: ModelAlgorithm | None = None
    execution_code: str | None = None
    input_params: list[ModelParam] | None = None
    output_params: list[ModelParam] | None = None
    dependencies: list[Dependency] | None = None
    model_metrics: JsonText | None = None
    apis: JsonText | None = None
    initial_config: JsonText | None = None
    workspace_id: str | None = None
    model_docs: list[ModelDoc] | None = Field(default=None, max_length=3)
    install_type: list[Annotated[InstallType, BeforeValidator(_install_type)]] | None = None

    @field_validator("source_location")
    @classmethod
    def _model_folder(cls, value: str) -> str:
        # C35 for OBS paths; an https://...obs... URL or an SWR image address is also allowed
        if value.startswith(("/", "obs://")):
            check_obs_folder(value)
        return value

    @field_validator("execution_code")
    @classmethod
    def _inference_code(cls, value: str | None) -> str | None:
        if value and not value.endswith("customize_service.py"):
            raise RuleError(
                "must be the path of customize_service.py (C36)",
                "FILE_NAME",
                {"name": "customize_service.py"},
            )
        return value


class ModelListQuery(RequestModel):
    model_name: str | None = None
    model_version: str | None = None
    model_status: (
        Literal["publishing", "published", "failed", "building", "building_failed"] | None
    ) = None
    model_type: str | None = None
    not_model_type: str | None = None
    description: str | None = None
    offset: int | None = Field(default=None, ge=0)
    limit: int | None = Field(default=None, ge=1)
    sort_by: Literal["create_at", "model_version", "model_size"] | None = None
    order: Literal["asc", "desc"] | None = None
    workspace_id: str | None = None

    @model_validator(mode="after")
    def _type_xor(self) -> ModelListQuery:
        if self.model_type and self.not_model_type:
            raise FieldRuleError(
                "not_model_type",
                "cannot be combined with model_type",
                "EXCLUSIVE",
                {"other": "model_type"},
            )
        return self


# --- responses -------------------------------------------------------------------------------


class ModelCreated(ApiModel):
    model_id: str


class ModelSummary(ApiModel):
    model_id: str
    model_name: str | None = None
    model_version: str | None = None
    model_status: str | None = None
    model_type: str | None = None
    model_size: int | None = None
    create_at: int | None = None
    description: str | None = None
    workspace_id: str | None = None
    install_type: list[str] | None = None


class ModelList(ApiModel):
    total_count: int | None = None
    count: int | None = None
    models: list[ModelSummary] = []


class ModelDetail(ModelSummary):
    """MD-3; ``apis``, ``config``, ``model_metrics`` are decoded from their JSON strings."""

    source_location: str | None = None
    source_job_id: str | None = None
    source_job_version: str | None = None
    runtime: str | None = None
    execution_code: str | None = None
    image_address: str | None = None
    input_params: list[dict[str, Any]] | None = None
    output_params: list[dict[str, Any]] | None = None
    dependencies: list[dict[str, Any]] | None = None
    model_metrics: JsonValue = None
    apis: JsonValue = None
    config: JsonValue = None
    failed_reason: str | None = None


class ModelDeleteFailure(ApiModel):
    model_id: str | None = None
    error_code: str | None = None
    error_msg: str | None = None


class ModelDeleteResult(ApiModel):
    """MD-4 can partly fail: the failures are in the (successful) answer."""

    delete_success_list: list[str] = []
    delete_failed_list: list[ModelDeleteFailure] = []
