"""Models (004 §6.1, MD-1 to MD-4), error shape E1, codes 30xx.

An import (MD-1) answers at once with the model in `publishing`; the package at
`source_location` is then copied out of local OBS (later changes in OBS do not affect the
model, as in the cloud) and its layout and config.json checked (runtime/model_package.py; the
inference class is found when a service starts, as on the cloud): the model becomes
`published`, or `failed` / `building_failed` (dependencies not met) with the reason in
`failed_reason` (not in the documents). After a restart, imports that were in progress run
again.
"""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path
from typing import Any

from tornado.ioloop import IOLoop

from .context import EmulatorContext
from .errors import ApiError, Family
from .fields import Codes, Rule, check, query_choice, query_int
from .handler import EmulatorHandler
from .runtime import obs_urls
from .runtime.model_package import (
    MODEL_TYPES,
    SERVICE_FILE,
    ModelPackage,
    PackageProblem,
    inspect_package,
)
from .runtime.requirements import from_model_dependencies
from .store import Document, now_ms
from .workspaces import require_workspace

KIND = "models"
MODULE = "models"
CODES = Codes(missing="ModelArts.3037", wrong_type="ModelArts.3037", invalid="ModelArts.3037")
MODEL_NOT_FOUND = "ModelArts.3001"
MODEL_EXISTS = "ModelArts.3002"
INVALID_SOURCE = "ModelArts.3017"
STATUSES = ("publishing", "published", "failed", "building", "building_failed")
INSTALL_TYPES = ("real-time", "realtime", "edge", "batch")
CASCADE_LIMIT = 20

_FREE_TEXT_FORBIDDEN = "&!'\"<>="
_DEPENDENCY_RULES = (
    Rule("dependencies", list),
    Rule("dependencies[]", dict),
    Rule("dependencies[].installer", required=True, choices=("pip",)),
    Rule("dependencies[].packages", list, required=True),
    Rule("dependencies[].packages[]", dict),
    Rule(
        "dependencies[].packages[].package_name",
        required=True,
        min_length=1,
        forbidden=_FREE_TEXT_FORBIDDEN,
    ),
    Rule("dependencies[].packages[].package_version", forbidden=_FREE_TEXT_FORBIDDEN),
    Rule("dependencies[].packages[].restraint", choices=("EXACT", "ATLEAST", "ATMOST")),
)
IMPORT_RULES = (
    Rule(
        "model_name",
        required=True,
        min_length=1,
        max_length=64,
        pattern=r"[A-Za-z0-9\u4e00-\u9fa5_-]+",
        pattern_hint="only letters, Chinese characters, digits, hyphens and underscores",
    ),
    Rule(
        "model_version",
        required=True,
        pattern=r"(?:0|[1-9]\d?)(?:\.(?:0|[1-9]\d?)){2}",
        pattern_hint="must look like 1.0.0: three numbers from 0 to 99 without leading zeros",
    ),
    Rule("source_location", required=True, min_length=1),
    Rule("source_job_id"),
    Rule("source_job_version"),
    Rule("source_type", choices=("auto", "")),
    Rule("model_type", required=True, choices=MODEL_TYPES, ignore_case=True),
    Rule("runtime"),
    Rule("description", max_length=100, forbidden=_FREE_TEXT_FORBIDDEN),
    Rule(
        "model_algorithm",
        max_length=36,
        pattern=r"[A-Za-z][^\u4e00-\u9fa5]*",
        pattern_hint="must start with a letter and contain no Chinese characters",
        forbidden=_FREE_TEXT_FORBIDDEN,
    ),
    Rule("execution_code"),
    Rule("input_params", list),
    Rule("output_params", list),
    *_DEPENDENCY_RULES,
    Rule("model_metrics"),
    Rule("initial_config"),
    Rule("workspace_id", min_length=1),
    Rule("model_docs", list, max_items=3),
    Rule("model_docs[]", dict),
    Rule(
        "model_docs[].doc_name",
        required=True,
        max_length=48,
        pattern=r"[A-Za-z\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5_-]*",
        pattern_hint="must start with a letter; letters, digits, hyphens, underscores",
    ),
    Rule(
        "model_docs[].doc_url",
        required=True,
        pattern=r"https?://\S+",
        pattern_hint="must be an HTTP(S) link",
    ),
    Rule("install_type", list),
    Rule("install_type[]", choices=INSTALL_TYPES),
)
_LIST_FIELDS = (
    "model_id",
    "model_name",
    "model_version",
    "model_status",
    "model_type",
    "model_size",
    "tenant",
    "project",
    "owner",
    "create_at",
    "description",
    "source_type",
    "workspace_id",
    "model_source",
    "tunable",
    "market_flag",
    "publishable_flag",
    "install_type",
    "subscription_id",
    "extra",
    "specification",
    "failed_reason",
)
_PRIVATE = ("package_dir",)


def find_model(ctx: EmulatorContext, model_id: str) -> Document | None:
    return ctx.store.get(KIND, model_id)


def model_package(model: Document) -> ModelPackage:
    """The checked package of a published model (for deployment)."""
    return inspect_package(Path(model["package_dir"]), model["model_type"])


def _json_field(body: dict[str, Any], field: str) -> Any:
    """A field the documents send as JSON inside a string (or, in samples, as JSON)."""
    value = body.get(field)
    if not isinstance(value, str) or not value:
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        raise ApiError(400, CODES.invalid, f"Invalid parameter {field}: not valid JSON") from None


def _folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def publish(ctx: EmulatorContext, model_id: str) -> None:
    """Copy and check the package of a `publishing` model; store the outcome. Runs in a
    worker thread."""
    model = ctx.store.get(KIND, model_id)
    if model is None or model["model_status"] != "publishing":
        return
    package_dir = Path(model["package_dir"])
    try:
        source = obs_urls.resolve(ctx.obs.buckets_dir, model["source_location"])
        if package_dir.exists():
            shutil.rmtree(package_dir)
        if source.is_dir():
            shutil.copytree(source, package_dir)
        extra = from_model_dependencies(model.get("dependencies") or [])
        package = inspect_package(package_dir, model["model_type"], extra)
    except (OSError, ValueError) as error:
        _store_outcome(ctx, model_id, "failed", str(error), None)
        return
    except PackageProblem as problem:
        _store_outcome(ctx, model_id, problem.status, str(problem), None)
        return
    _store_outcome(ctx, model_id, "published", "", package)


def _store_outcome(
    ctx: EmulatorContext, model_id: str, status: str, reason: str, package: ModelPackage | None
) -> None:
    with ctx.store.transaction():
        model = ctx.store.get(KIND, model_id)
        if model is None:  # deleted meanwhile
            return
        model["model_status"] = status
        if reason:
            model["failed_reason"] = reason
        if package is not None:
            model["model_size"] = _folder_size(Path(model["package_dir"]))
            if package.code_file is not None and package.code_file.name == SERVICE_FILE:
                model["execution_code"] = model["execution_code"] or _execution_code(model)
            config = package.config
            model["config"] = json.dumps(config) if config else model["config"]
            if model["apis"] == "[]" and config.get("apis"):
                model["apis"] = json.dumps(config["apis"])
            if not model["runtime"]:
                model["runtime"] = config.get("runtime", "python3.6")
            model["image_address"] = f"local-modelarts/models/{model_id}:{model['model_version']}"
        ctx.store.put(KIND, model_id, model, name=model["model_name"])


def _execution_code(model: Document) -> str:
    location = obs_urls.to_url(model["source_location"], scheme="obs").rstrip("/")
    package_dir = Path(model["package_dir"])
    inner = "model/" if (package_dir / "model").is_dir() else ""
    return f"{location}/{inner}{SERVICE_FILE}"


async def on_start(ctx: EmulatorContext) -> None:
    """Imports interrupted by a restart run again."""
    loop = IOLoop.current()
    for model in ctx.store.list(KIND):
        if model["model_status"] == "publishing":
            loop.run_in_executor(None, publish, ctx, model["model_id"])


class ModelHandlerBase(EmulatorHandler):
    family = Family.MODELARTS
    validation_code = CODES.invalid

    def model(self, model_id: str) -> Document:
        model = find_model(self.ctx, model_id)
        if model is None:
            raise ApiError(404, MODEL_NOT_FOUND, f"Model {model_id} does not exist.")
        return model


def public_model(model: Document) -> Document:
    return {key: value for key, value in model.items() if key not in _PRIVATE}


class ModelsHandler(ModelHandlerBase):
    def post(self, project_id: str) -> None:
        """MD-1."""
        body = self.json_body()
        check(body, IMPORT_RULES, CODES)
        workspace_id = body.get("workspace_id") or "0"
        require_workspace(self.ctx, workspace_id)
        for index, package in enumerate(
            p for group in body.get("dependencies") or [] for p in group["packages"]
        ):
            if package.get("package_version") and not package.get("restraint"):
                raise self.invalid(
                    f"Invalid parameter dependencies.packages[{index}].restraint: required "
                    "when package_version is set"
                )
        self._check_source_location(body["source_location"])
        for existing in self.store.list(KIND, name=body["model_name"]):
            if existing["model_version"] == body["model_version"]:
                raise ApiError(
                    409,
                    MODEL_EXISTS,
                    f"Model {body['model_name']} {body['model_version']} already exists.",
                )
        execution_code = body.get("execution_code") or ""
        if execution_code:
            self._check_execution_code(execution_code, body["source_location"])
        initial_config = _json_field(body, "initial_config")
        apis = _json_field(body, "apis")
        model_metrics = _json_field(body, "model_metrics")
        model_id = str(uuid.uuid4())
        model = {
            "model_id": model_id,
            "model_name": body["model_name"],
            "model_version": body["model_version"],
            "create_at": now_ms(),
            "tenant": self.ctx.config.project_id,
            "project": self.ctx.config.project_id,
            "owner": self.caller.user_name or "",
            "source_location": body["source_location"],
            "source_job_id": body.get("source_job_id", ""),
            "source_job_version": body.get("source_job_version", ""),
            "source_type": body.get("source_type", ""),
            "model_type": _documented_type(body["model_type"]),
            "model_size": 0,
            "model_status": "publishing",
            "runtime": body.get("runtime", ""),
            "description": body.get("description", ""),
            "execution_code": execution_code,
            "schema_doc": "",
            "image_address": "",
            "input_params": body.get("input_params") or [],
            "output_params": body.get("output_params") or [],
            "dependencies": body.get("dependencies") or [],
            "model_metrics": json.dumps(model_metrics) if model_metrics else "{}",
            "apis": json.dumps(apis) if apis else "[]",
            "model_source": "custom",
            "tunable": False,
            "market_flag": False,
            "publishable_flag": False,
            "model_docs": body.get("model_docs") or [],
            "model_algorithm": body.get("model_algorithm", ""),
            "model_labels": [],
            "labels_map": {"labels": []},
            "workspace_id": workspace_id,
            "install_type": body.get("install_type") or ["real-time", "batch", "edge"],
            "specification": {},
            "config": json.dumps(initial_config) if initial_config else "{}",
            "subscription_id": "",
            "extra": "",
            "package_dir": str(self.ctx.work_dir(MODULE, model_id) / "package"),
        }
        self.store.put(KIND, model_id, model, name=model["model_name"])
        IOLoop.current().run_in_executor(None, publish, self.ctx, model_id)
        self.send_json({"model_id": model_id})

    def _check_execution_code(self, execution_code: str, source_location: str) -> None:
        """The inference code must be the package's own customize_service.py."""
        if not execution_code.endswith("/" + SERVICE_FILE):
            raise self.invalid(f"Invalid parameter execution_code: the file must be {SERVICE_FILE}")
        try:
            inside = obs_urls.relative_key(source_location, execution_code) is not None
        except ValueError:
            inside = False
        if not inside:
            raise self.invalid(
                "Invalid parameter execution_code: must be inside the model folder "
                f"{source_location}"
            )

    def _check_source_location(self, location: str) -> None:
        """3017 (004 §10.2): "Check whether the source path contains the model directory,
        whether the model directory is empty, and whether the source path ends with a slash
        (/)." The slash rule is applied to OBS paths (`/bucket/dir/`, `obs://bucket/dir/`),
        as the client does (C35); the HTTPS form of the MD-1 sample (`.../mnist`) is taken as
        the folder it names."""

        def refuse(reason: str) -> ApiError:
            return ApiError(400, INVALID_SOURCE, f"Invalid model source path: {reason}")

        try:
            path = obs_urls.resolve(self.obs.buckets_dir, location)
        except (OSError, ValueError) as error:
            raise refuse(str(error)) from None
        if location.startswith(("/", "obs://", "s3://")) and not location.endswith("/"):
            raise refuse(f"{location} must end with a slash (/): a model is a folder.")
        if not path.exists():
            raise refuse(f"{location} does not exist.")
        if not path.is_dir():
            raise refuse(f"{location} is a file; give the folder that holds the model.")
        if not any(path.iterdir()):
            raise refuse(f"the model directory {location} is empty.")

    def get(self, project_id: str) -> None:
        """MD-2: `offset` is a page index, as documented."""

        def arg(name: str) -> str | None:
            return self.get_query_argument(name, None) or None

        status = query_choice(arg("model_status"), "model_status", CODES, STATUSES, default=None)
        if arg("model_type") and arg("not_model_type"):
            raise self.invalid(
                "Invalid parameter not_model_type: cannot be combined with model_type"
            )
        sort_by = str(
            query_choice(
                arg("sort_by"),
                "sort_by",
                CODES,
                ("create_at", "model_version", "model_size"),
                default="create_at",
            )
        )
        order = query_choice(arg("order"), "order", CODES, ("asc", "desc"), default="desc")
        offset = query_int(arg("offset"), "offset", CODES, default=0, minimum=0)
        limit = query_int(arg("limit"), "limit", CODES, default=1000, minimum=1)
        workspace_id = arg("workspace_id") or "0"
        name, version, description = arg("model_name"), arg("model_version"), arg("description")
        model_type, not_type = arg("model_type"), arg("not_model_type")
        models = [
            m
            for m in self.store.list(KIND)
            if m["workspace_id"] == workspace_id
            and (not name or name.lower() in m["model_name"].lower())
            and (not version or m["model_version"] == version)
            and (not status or m["model_status"] == status)
            and (not model_type or m["model_type"].lower() == model_type.lower())
            and (not not_type or m["model_type"].lower() != not_type.lower())
            and (not description or description.lower() in m["description"].lower())
        ]
        models.sort(key=lambda m: _sort_key(m, sort_by), reverse=order == "desc")
        page = models[offset * limit : (offset + 1) * limit]
        self.send_json(
            {
                "total_count": len(models),
                "count": len(page),
                "models": [{f: m[f] for f in _LIST_FIELDS if f in m} for m in page],
            }
        )


def _sort_key(model: Document, field: str) -> Any:
    if field == "model_version":
        return tuple(int(part) for part in model["model_version"].split("."))
    return model[field]


def _documented_type(model_type: str) -> str:
    return next(known for known in MODEL_TYPES if known.lower() == model_type.lower())


class ModelHandler(ModelHandlerBase):
    def get(self, project_id: str, model_id: str) -> None:
        """MD-3."""
        self.send_json(public_model(self.model(model_id)))

    def delete(self, project_id: str, model_id: str) -> None:
        """MD-4: `cascade=true` also deletes the other versions of the model (at most 20);
        a model deployed as a service is refused (3009) in `delete_failed_list`."""
        from .services import services_using_model  # services import models

        model = self.model(model_id)
        cascade = (
            query_choice(
                self.get_query_argument("cascade", None),
                "cascade",
                CODES,
                ("true", "false"),
                default="false",
            )
            == "true"
        )
        targets = [model]
        if cascade:
            others = [
                m
                for m in self.store.list(KIND, name=model["model_name"])
                if m["model_id"] != model_id
            ]
            targets += others[: CASCADE_LIMIT - 1]
        succeeded: list[str] = []
        failed: list[dict[str, str]] = []
        for target in targets:
            target_id = target["model_id"]
            if services_using_model(self.ctx, target_id):
                failed.append(
                    {
                        "model_id": target_id,
                        "error_code": "ModelArts.3009",
                        "error_msg": f"Failed to delete model, model ({target_id}) already deploy "
                        "service.",
                    }
                )
                continue
            self.store.delete(KIND, target_id)
            shutil.rmtree(self.ctx.work_dir(MODULE, target_id), ignore_errors=True)
            succeeded.append(target_id)
        self.send_json({"delete_success_list": succeeded, "delete_failed_list": failed})


V1 = r"/v1/(?P<project_id>[^/]+)"
ROUTES = [
    (V1 + r"/models/?", ModelsHandler),
    (V1 + r"/models/(?P<model_id>[^/]+)/?", ModelHandler),
]
