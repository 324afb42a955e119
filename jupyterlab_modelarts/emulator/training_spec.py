"""What training jobs (TJ-1, TJ-6), training job configurations (TC-1, TC-3) and visualization
jobs share: the job configuration rules with their either/or groups, the numeric job statuses
(004 §5.5), spec and engine lookups, and the paged listing of the training family.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tornado.web import RequestHandler

# The numeric statuses (004 §5.5) are one table, the client's: re-exported for the emulator.
from ..cloud.schemas.training import JobStatus as JobStatus
from .catalog import BUILT_IN_ALGORITHMS, ENGINES, RESOURCE_SPECS
from .context import EmulatorContext
from .errors import ApiError
from .fields import Codes, Rule, check, query_choice, query_int
from .obs_storage import parse_obs_url

CODES = Codes(missing="ModelArts.0107", wrong_type="ModelArts.0107", invalid="ModelArts.0107")
#: Training family codes for a missing resource, a name taken and a refused operation.
NOT_FOUND = "ModelArts.0102"
DUPLICATE = "ModelArts.0103"
NOT_ALLOWED = "ModelArts.0105"
INVALID_OBS_PATH = "ModelArts.0404"
NO_SUCH_BUCKET = "ModelArts.0413"
OUTPUT_PATH_IN_USE = "ModelArts.2604"
DATASET_NOT_FOUND = "ModelArts.1674"

JOB_NAME = r"[A-Za-z0-9_-]+"
JOB_NAME_HINT = "only letters, digits, underscores and hyphens are allowed"


def name_rule(field: str, max_length: int) -> Rule:
    """The required name of a training job (v1 and v2), configuration or visualization job."""
    return Rule(
        field,
        required=True,
        min_length=1,
        max_length=max_length,
        pattern=JOB_NAME,
        pattern_hint=JOB_NAME_HINT,
    )


def config_rules(prefix: str = "") -> tuple[Rule, ...]:
    """Field rules of a job configuration, at `prefix` (`config.` in TJ-1/TJ-6, top level in
    TC-1/TC-3)."""
    p = prefix
    return (
        Rule(f"{p}worker_server_num", int, required=True, minimum=1),
        Rule(f"{p}app_url", min_length=1),
        Rule(f"{p}boot_file_url", min_length=1),
        Rule(f"{p}model_id", int),
        Rule(f"{p}parameter", list),
        Rule(f"{p}parameter[]", dict),
        Rule(f"{p}parameter[].label", min_length=1),
        Rule(f"{p}parameter[].key", min_length=1),
        Rule(f"{p}spec_id", int, required=True),
        Rule(f"{p}engine_id", int),
        Rule(f"{p}data_url", min_length=1),
        Rule(f"{p}dataset_id", min_length=1),
        Rule(f"{p}dataset_version_id", min_length=1),
        Rule(f"{p}data_source", list),
        Rule(f"{p}data_source[]", dict),
        Rule(f"{p}data_source[].type", required=True, choices=("obs", "dataset")),
        Rule(f"{p}data_source[].data_url"),
        Rule(f"{p}data_source[].dataset_id"),
        Rule(f"{p}data_source[].dataset_version"),
        Rule(f"{p}train_url", min_length=1),
        Rule(f"{p}log_url", min_length=1),
        Rule(f"{p}user_image_url", min_length=1),
        Rule(f"{p}user_command", min_length=1),
    )


def check_config(
    ctx: EmulatorContext, body: dict[str, Any], prefix: str, *, train_url_required: bool
) -> dict[str, Any]:
    """Check the field rules, the either/or groups of TJ-1 (code, data) and the references
    (spec, engine, built-in algorithm, OBS locations) of the job configuration in `body` at
    `prefix` (`"config."` or `""`); return that configuration."""
    check(body, config_rules(prefix), CODES)
    config: dict[str, Any] = body[prefix.rstrip(".")] if prefix else body
    p = prefix

    def present(field: str) -> bool:
        return config.get(field) not in (None, "", [])

    def invalid(message: str) -> ApiError:
        return ApiError(400, CODES.invalid, f"Invalid parameter {message}")

    for index, item in enumerate(config.get("parameter") or []):
        # TC-3's sample names the label `key`.
        if not item.get("label", item.get("key")):
            raise ApiError(
                400, CODES.missing, f"Invalid parameter {p}parameter[{index}].label: required"
            )
    code_groups = {
        "app_url + boot_file_url": present("app_url") and present("boot_file_url"),
        "model_id": present("model_id"),
        "user_image_url + user_command": present("user_image_url") and present("user_command"),
    }
    chosen = [name for name, given in code_groups.items() if given]
    if len(chosen) != 1:
        raise invalid(
            f"{p}app_url: give exactly one of app_url + boot_file_url, model_id, "
            f"or user_image_url + user_command (given: {', '.join(chosen) or 'none'})"
        )
    if present("boot_file_url") and not present("app_url"):
        raise invalid(f"{p}app_url: boot_file_url must come with app_url")
    if present("app_url") and not present("boot_file_url") and not present("user_image_url"):
        raise invalid(f"{p}boot_file_url: app_url must come with boot_file_url")
    data_groups = {
        "data_url": present("data_url"),
        "dataset_id + dataset_version_id": present("dataset_id") or present("dataset_version_id"),
        "data_source": present("data_source"),
    }
    chosen = [name for name, given in data_groups.items() if given]
    if len(chosen) != 1:
        raise invalid(
            f"{p}data_url: give exactly one of data_url, dataset_id + dataset_version_id, or "
            f"data_source (given: {', '.join(chosen) or 'none'})"
        )
    if present("dataset_id") != present("dataset_version_id"):
        raise invalid(f"{p}dataset_version_id: dataset_id and dataset_version_id go together")
    for index, source in enumerate(config.get("data_source") or []):
        if source["type"] == "obs" and not source.get("data_url"):
            raise invalid(f"{p}data_source[{index}].data_url: required for type obs")
        if source["type"] == "dataset" and not (
            source.get("dataset_id") and source.get("dataset_version")
        ):
            raise invalid(
                f"{p}data_source[{index}].dataset_id: dataset_id and dataset_version are "
                "required for type dataset"
            )
        if source["type"] == "dataset":
            raise _no_dataset(source["dataset_id"], f"{p}data_source[{index}].dataset_id")
    if present("dataset_id"):
        raise _no_dataset(config["dataset_id"], f"{p}dataset_id")
    if train_url_required and not present("train_url"):
        raise ApiError(400, CODES.missing, f"Invalid parameter {p}train_url: required")
    spec = resource_spec(int(config["spec_id"]), f"{p}spec_id")
    if config["worker_server_num"] > spec["max_num"]:
        raise invalid(f"{p}worker_server_num: at most {spec['max_num']} for spec {spec['spec_id']}")
    if present("engine_id"):
        engine(int(config["engine_id"]), f"{p}engine_id")
    if present("model_id"):
        built_in_algorithm(int(config["model_id"]), f"{p}model_id")
    for field in ("app_url", "boot_file_url", "train_url", "log_url", "data_url"):
        if present(field):
            check_obs_location(ctx, config[field], f"{p}{field}")
    for index, source in enumerate(config.get("data_source") or []):
        if source.get("data_url"):
            check_obs_location(ctx, source["data_url"], f"{p}data_source[{index}].data_url")
    return config


def _no_dataset(dataset_id: str, field: str) -> ApiError:
    """Local ModelArts keeps no datasets, so every dataset id is unknown: 004 §10.2
    "ModelArts.1674 The dataset does not exist. Check the request parameter and enter the
    correct dataset_id." (400 like the other references in a request body.)"""
    return ApiError(
        400,
        DATASET_NOT_FOUND,
        f"Invalid parameter {field}: the dataset {dataset_id} does not exist (Local ModelArts "
        "has no datasets; give the data as an OBS data_url)",
    )


def check_obs_location(ctx: EmulatorContext, location: str, field: str) -> None:
    """An OBS location (`/bucket/path` or `obs://bucket/path`) in an existing bucket."""
    try:
        bucket, _ = parse_obs_url(location)
    except ValueError as error:
        raise ApiError(400, INVALID_OBS_PATH, f"Invalid parameter {field}: {error}") from None
    if not ctx.obs.bucket_exists(bucket):
        raise ApiError(
            400, NO_SUCH_BUCKET, f"Invalid parameter {field}: bucket {bucket} does not exist"
        )


def resource_spec(spec_id: int, field: str = "spec_id") -> dict[str, Any]:
    for spec in RESOURCE_SPECS["train"]:
        if spec["spec_id"] == spec_id:
            return spec
    raise ApiError(400, CODES.invalid, f"Invalid parameter {field}: no resource spec {spec_id}")


def engine(engine_id: int, field: str = "engine_id") -> dict[str, Any]:
    for known in ENGINES["train"]:
        if known["engine_id"] == engine_id:
            return known
    raise ApiError(400, CODES.invalid, f"Invalid parameter {field}: no engine {engine_id}")


def built_in_algorithm(model_id: int, field: str = "model_id") -> dict[str, Any]:
    for algorithm in BUILT_IN_ALGORITHMS:
        if algorithm["model_id"] == model_id:
            return algorithm
    raise ApiError(
        400, CODES.invalid, f"Invalid parameter {field}: no built-in algorithm {model_id}"
    )


def engine_fields(config: dict[str, Any]) -> dict[str, Any]:
    """engine_type/engine_name/engine_id/engine_version of a configuration (the built-in
    algorithm's engine for `model_id`, engine 1 by default as documented)."""
    if config.get("model_id"):
        engine_id = built_in_algorithm(int(config["model_id"]))["engine_id"]
    else:
        engine_id = int(config.get("engine_id") or 1)
    found = engine(engine_id)
    return {
        key: found[key] for key in ("engine_type", "engine_name", "engine_id", "engine_version")
    }


def spec_fields(spec_id: int) -> dict[str, Any]:
    spec = resource_spec(spec_id)
    return {
        key: spec[key] for key in ("spec_id", "core", "cpu", "gpu_num", "gpu_type", "spec_code")
    }


def parameters(config: dict[str, Any]) -> list[dict[str, Any]]:
    """`parameter` as stored: label and value (TC-3's sample sends `key` for `label`)."""
    return [
        {"label": str(item.get("label", item.get("key"))), "value": item.get("value", "")}
        for item in config.get("parameter") or []
    ]


def paged(
    handler: RequestHandler,
    items: list[dict[str, Any]],
    *,
    sort_fields: Sequence[str],
    default_order: str,
    per_page_max: int,
    search_field: str,
) -> tuple[list[dict[str, Any]], int]:
    """Filter by `search_content`, sort by `sortBy`/`order`, page by `per_page`/`page` (the
    training family's list parameters); returns (page, total after filtering).

    `page` counts from 1: TJ-2 "Default value: 1 The value range is [1, 65535]"; TC-2 and VJ-2
    give the same default without a range and are read alike (only TJ-5 documents `page=0`)."""

    def arg(name: str) -> str | None:
        return handler.get_query_argument(name, None)

    search = arg("search_content") or ""
    if len(search) > 64:
        raise ApiError(
            400, CODES.invalid, "Invalid parameter search_content: at most 64 characters"
        )
    sort_by = str(query_choice(arg("sortBy"), "sortBy", CODES, sort_fields, default=sort_fields[0]))
    order = query_choice(arg("order"), "order", CODES, ("asc", "desc"), default=default_order)
    per_page = query_int(
        arg("per_page"), "per_page", CODES, default=10, minimum=1, maximum=per_page_max
    )
    page = query_int(arg("page"), "page", CODES, default=1, minimum=1, maximum=65535)
    if search:
        items = [item for item in items if search.lower() in str(item[search_field]).lower()]

    def key(item: dict[str, Any]) -> tuple[bool, Any]:
        return item.get(sort_by) is None, item.get(sort_by)

    items = sorted(items, key=key, reverse=order == "desc")
    return items[(page - 1) * per_page : page * per_page], len(items)


def status_filter(raw: str | None) -> set[int] | None:
    """The `status` list parameter: one or several comma-separated numeric statuses."""
    if not raw:
        return None
    try:
        wanted = {int(part) for part in raw.split(",") if part.strip()}
    except ValueError:
        raise ApiError(
            400, CODES.invalid, "Invalid parameter status: numeric job statuses, comma-separated"
        ) from None
    unknown = wanted - {status.value for status in JobStatus}
    if unknown:
        raise ApiError(400, CODES.invalid, f"Invalid parameter status: unknown {sorted(unknown)}")
    return wanted
