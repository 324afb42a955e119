"""Services (004 §7, SV-1 to SV-11), error shape E1, codes 35xx.

A real-time service really serves: each model of its `config` gets `instance_count` local
inference servers (runtime/deployments.py), and `access_address`
(`<emulator>/v1/infers/<service_id>`, X-Auth-Token or AK/SK signature like the cloud's API
gateway) forwards each request to one of them, split by `weight`. Statuses: `deploying` while
the servers load their models, then `running`, `concerning` (some instances failed) or `failed`
(`error_msg` says why); `stopped` after SV-5 `status=stopped` or the auto-stop `schedule`.
Events (SV-8) follow the deployment script of the documented sample; update logs (SV-7) record
each deployment. After a restart, services that were serving are `failed` with a reason.

A batch service starts the servers of its model, sends it every file (`mapping_type=file`,
multipart) or CSV row (`csv`, JSON built from `mapping_rule`) under `src_path`, writes each
answer to `dest_path` as `<input>.result`, then becomes `finished` and stops its servers
(runtime/batch.py). Edge services need IEF edge nodes, which Local ModelArts does not have:
deploying one and SV-4 on any node answer `ModelArts.3512` (`no_edge_node`).

Module settings (`EmulatorConfig.modules["services"]`): `python` (interpreter of the inference
servers, default: the emulator's own), `max_instances` (instances per service, default 5).
"""

from __future__ import annotations

import json
import sys
import threading
import uuid
from typing import Any

import httpx
from tornado.ioloop import IOLoop, PeriodicCallback

from .auth import AuthScheme
from .catalog import CLUSTERS, SERVICE_SPECIFICATIONS
from .context import EmulatorContext
from .errors import ApiError, Family
from .fields import Codes, Rule, check, query_choice, query_int
from .handler import EmulatorHandler
from .models import find_model, model_package
from .runtime import batch, obs_urls, processes
from .runtime.deployments import Deployment, DeploymentState, ModelSlot
from .runtime.model_package import PackageProblem
from .store import Document, now_ms
from .training_spec import check_obs_location
from .workspaces import require_workspace

KIND = "services"
MODULE = "services"
CODES = Codes(missing="ModelArts.0107", wrong_type="ModelArts.0107", invalid="ModelArts.0107")
NOT_FOUND = "ModelArts.3502"
NAME_EXISTS = "ModelArts.3503"
MODEL_MISSING = "ModelArts.3507"
MODEL_UNPUBLISHED = "ModelArts.3515"
SAME_VERSIONS = "ModelArts.3516"
BUSY = "ModelArts.3519"
TOO_MANY_INSTANCES = "ModelArts.3522"
NO_CLUSTER = "ModelArts.3547"
WRONG_INSTALL_TYPE = "ModelArts.3589"
PREDICTION_FAILED = "ModelArts.4302"
PREDICTION_TIMEOUT_SECONDS = 60.0
DEFAULT_MAX_INSTANCES = 5
#: Largest prediction request forwarded to a model (the cloud's API gateway: 12 MB; 004 §3.2
#: "AK/SK-based authentication supports API requests with a body not larger than 12 MB"). No
#: ModelArts route takes more, so the AK/SK limit needs no check of its own.
PREDICTION_BODY_LIMIT = 12 * 1024 * 1024
INFER_TYPES = ("real-time", "batch", "edge")
EDGE_NODE_NOT_DEPLOYED = "ModelArts.3512"
STATUSES = ("running", "deploying", "concerning", "failed", "stopped", "finished")
SPECIFICATIONS = (
    "modelarts.vm.cpu.2u",
    "modelarts.vm.gpu.0.25p4",
    "modelarts.vm.gpu.0.5p4",
    "modelarts.vm.gpu.p4",
    "modelarts.vm.gpu.0.25t4",
    "modelarts.vm.gpu.0.5t4",
    "modelarts.vm.gpu.t4",
    "modelarts.vm.arm.d310.3u6g",
    "modelarts.vm.ai1.a310",
    "modelarts.vm.cpu.free",
    "modelarts.vm.gpu.free",
    "custom",
)
SCHEDULE_UNITS_MS = {"DAYS": 86_400_000, "HOURS": 3_600_000, "MINUTES": 60_000}
SMN_EVENTS = (1, 3, 7, 11)

_SCHEDULE_RULES = (
    Rule("schedule", list),
    Rule("schedule[]", dict),
    Rule("schedule[].type", required=True, choices=("stop",)),
    Rule("schedule[].time_unit", required=True, choices=tuple(SCHEDULE_UNITS_MS)),
    Rule("schedule[].duration", int, required=True, minimum=1),
    Rule("additional_properties", dict),
    Rule("additional_properties.smn_notification", dict),
    Rule("additional_properties.smn_notification.topic_urn", required=True, min_length=1),
    Rule("additional_properties.smn_notification.events", list, required=True),
    Rule("additional_properties.smn_notification.events[]", int, choices=SMN_EVENTS),
)
_REAL_TIME_CONFIG_RULES = (
    Rule("config", list, required=True),
    Rule("config[]", dict),
    Rule("config[].model_id", required=True, min_length=1),
    Rule("config[].specification", required=True, choices=SPECIFICATIONS),
    Rule("config[].custom_spec", dict),
    Rule("config[].instance_count", int, required=True, minimum=1),
    Rule("config[].envs", dict),
    Rule("config[].cluster_id"),
    Rule("config[].additional_properties", dict),
)
_EDGE_CONFIG_RULES = (
    Rule("config[]", dict),
    Rule("config[].model_id", required=True, min_length=1),
    Rule("config[].specification", required=True, min_length=1),
    Rule("config[].envs", dict),
    Rule("config[].nodes", list, required=True),
    Rule("config[].nodes[]", min_length=1),
)
_NODE_STATUS_RULES = (Rule("status", required=True, choices=("running", "stopped")),)
_BATCH_CONFIG_RULES = (
    Rule("config", list, required=True),
    Rule("config[]", dict),
    Rule("config[].model_id", required=True, min_length=1),
    Rule(
        "config[].specification",
        required=True,
        choices=("modelarts.vm.cpu.2u", "modelarts.vm.gpu.p4"),
    ),
    Rule("config[].instance_count", int, required=True, minimum=1),
    Rule("config[].envs", dict),
    Rule("config[].src_type", choices=("", "ManifestFile")),
    Rule("config[].src_path", required=True, min_length=1),
    Rule("config[].dest_path", required=True, min_length=1),
    Rule("config[].req_uri", required=True, min_length=1),
    Rule("config[].mapping_type", required=True, choices=("file", "csv")),
    Rule("config[].mapping_rule", dict),
)
DEPLOY_RULES = (
    Rule(
        "service_name",
        required=True,
        min_length=1,
        max_length=64,
        pattern=r"[A-Za-z0-9\u4e00-\u9fa5_-]+",
        pattern_hint="only letters, Chinese characters, digits, hyphens and underscores",
    ),
    Rule("description", max_length=100),
    Rule("infer_type", required=True, choices=INFER_TYPES),
    Rule("workspace_id", min_length=1),
    Rule("vpc_id"),
    Rule("subnet_network_id"),
    Rule("security_group_id"),
    Rule("cluster_id"),
    Rule("config", list, required=True),
    *_SCHEDULE_RULES,
)
UPDATE_RULES = (
    Rule("description", max_length=100),
    Rule("status", choices=("running", "stopped")),
    Rule("config", list),
    *_SCHEDULE_RULES,
)
_PRIVATE = ("pids", "model_counters", "events", "update_logs", "error_msg")
_LIST_FIELDS = (
    "service_id",
    "service_name",
    "description",
    "tenant",
    "project",
    "owner",
    "publish_at",
    "infer_type",
    "workspace_id",
    "status",
    "progress",
    "invocation_times",
    "failed_times",
    "is_shared",
    "shared_count",
    "schedule",
    "due_time",
    "operation_time",
    "is_opened_sample_collection",
    "transition_at",
    "start_time",
    "finished_time",
    "is_free",
    "additional_properties",
)
_SERVING = ("deploying", "running", "concerning")


def _with_current_specification(wanted: Any, current: list[Document]) -> Any:
    """SV-5's config entries, each without `specification` given the one its model runs with
    now (or the service's first). Table 7-26 marks it mandatory, but the SV-5 sample request
    ("config": [{"model_id": "xxxx", "weight": "100", "instance_count": 1}]) leaves it out."""
    if not isinstance(wanted, list) or not current:
        return wanted
    running = {entry["model_id"]: entry["specification"] for entry in current}
    return [
        {
            **entry,
            "specification": running.get(entry.get("model_id"), current[0]["specification"]),
        }
        if isinstance(entry, dict) and "specification" not in entry
        else entry
        for entry in wanted
    ]


def services_using_model(ctx: EmulatorContext, model_id: str) -> list[str]:
    """Ids of the services whose configuration uses the model (MD-4 refuses to delete it)."""
    return [
        service["service_id"]
        for service in ctx.store.list(KIND)
        if any(entry["model_id"] == model_id for entry in service["config"])
    ]


# --- execution ------------------------------------------------------------------------------


class ServiceManager:
    """The deployments of the running services (`ctx.services["services"]`) and the document
    updates they cause."""

    def __init__(self, ctx: EmulatorContext) -> None:
        self.ctx = ctx
        self._deployments: dict[str, Deployment] = {}
        self._lock = threading.Lock()
        self._shutting_down = False
        self._schedule_check: PeriodicCallback | None = None

    @property
    def _settings(self) -> dict[str, Any]:
        return self.ctx.config.module_settings(MODULE)

    def max_instances(self) -> int:
        return int(self._settings.get("max_instances", DEFAULT_MAX_INSTANCES))

    def deployment(self, service_id: str) -> Deployment | None:
        with self._lock:
            return self._deployments.get(service_id)

    def deploy(self, service: Document) -> None:
        """(Re)start the servers of a service from its stored configuration (status deploying)."""
        service_id = service["service_id"]
        self.undeploy(service_id)
        slots = []
        for entry in service["config"]:
            model = find_model(self.ctx, entry["model_id"])
            try:
                if model is None:
                    raise PackageProblem(f"model {entry['model_id']} no longer exists")
                package = model_package(model)
            except PackageProblem as problem:
                self.record(
                    service_id,
                    status="failed",
                    error_msg=str(problem),
                    event=("abnormal", f"deploy failed: {problem}"),
                    result="FAIL",
                )
                return
            self.event(service_id, "normal", f"building image for model [{_label(model)}]")
            self.event(service_id, "normal", f"model ({_label(model)}) build image success")
            slots.append(
                ModelSlot(
                    entry["model_id"],
                    package,
                    int(entry.get("weight", 100)),
                    int(entry["instance_count"]),
                    entry.get("envs") or {},
                )
            )
        self.event(service_id, "normal", "preparing environment")
        deployment = Deployment(
            service_id,
            slots,
            python=str(self._settings.get("python") or sys.executable),
            obs_root=self.ctx.obs.buckets_dir,
            work_dir=self.ctx.work_dir(MODULE, service_id),
            on_change=lambda state: self._changed(service_id, state),
        )
        with self._lock:
            current = self.ctx.store.get(KIND, service_id)
            if current is None or current["status"] != "deploying":  # deleted or stopped meanwhile
                return
            self._deployments[service_id] = deployment
        for entry in service["config"]:
            label = _label(find_model(self.ctx, entry["model_id"]) or {})
            self.event(service_id, "normal", f"[{label}] schedule resource success")
            self.event(service_id, "normal", f"[{label}] starting model")
        deployment.start()

    def undeploy(self, service_id: str) -> None:
        with self._lock:
            deployment = self._deployments.pop(service_id, None)
        if deployment is not None:
            deployment.stop()

    def record(
        self,
        service_id: str,
        *,
        event: tuple[str, str] | None = None,
        result: str | None = None,
        **changes: Any,
    ) -> Document | None:
        """Apply `changes` to the stored service, append an event, settle the running update
        log with `result`; returns the new document (None if the service is gone)."""
        store = self.ctx.store
        with store.transaction():
            service = store.get(KIND, service_id)
            if service is None:
                return None
            if "status" in changes and changes["status"] != service["status"]:
                changes.setdefault("transition_at", now_ms())
            service.update(changes)
            if event is not None:
                service["events"].append(
                    {"occur_time": now_ms(), "event_type": event[0], "event_info": event[1]}
                )
            if result is not None and service["update_logs"]:
                if service["update_logs"][-1]["result"] == "RUNNING":
                    service["update_logs"][-1]["result"] = result
            save(self.ctx, service)
        return service

    def event(self, service_id: str, event_type: str, info: str) -> None:
        self.record(service_id, event=(event_type, info))

    def _changed(self, service_id: str, state: DeploymentState) -> None:
        if self._shutting_down or self.deployment(service_id) is None:
            return
        with self.ctx.store.transaction():
            service = self.ctx.store.get(KIND, service_id)
            if service is not None and service["status"] not in ("stopped", "finished"):
                self._apply_state(service, state)

    def _apply_state(self, service: Document, state: DeploymentState) -> None:
        service_id = service["service_id"]
        changes: dict[str, Any] = {"status": state.status, "pids": state.pids}
        batch_job = service["infer_type"] == "batch"
        for entry in service["config"]:
            if not batch_job:
                entry["status"] = state.models.get(entry["model_id"], "notReady")
        changes["config"] = service["config"]
        event = None
        result = None
        if state.status == "running" and service["status"] != "running":
            changes["progress"] = 100
            event = ("normal", "service is running")
            result = "SUCCESS"
            if batch_job:
                changes["start_time"] = service["config"][0]["start_time"] = now_ms()
                threading.Thread(
                    target=self._run_batch,
                    args=(service_id,),
                    name=f"batch-{service_id}",
                    daemon=True,
                ).start()
        elif state.status in ("failed", "concerning") and state.reasons:
            changes["error_msg"] = "\n".join(state.reasons)
            if changes["error_msg"] != service.get("error_msg"):
                event = ("abnormal", state.reasons[-1].splitlines()[0])
            result = "FAIL" if state.status == "failed" else None
        elif state.status == "deploying":
            ready = sum(status == "ready" for status in state.models.values())
            changes["progress"] = min(90, 30 + 60 * ready // max(1, len(state.models)))
        self.record(service_id, event=event, result=result, **changes)

    def _run_batch(self, service_id: str) -> None:
        """Send the inputs of a batch service to its model, then finish and stop it."""
        service = self.ctx.store.get(KIND, service_id)
        deployment = self.deployment(service_id)
        target = deployment.pick() if deployment is not None else None
        if service is None or target is None:
            return
        entry = service["config"][0]
        model = find_model(self.ctx, entry["model_id"]) or {}
        root = self.ctx.obs.buckets_dir
        try:
            files = batch.input_files(
                root, entry["src_path"], entry.get("src_type") == "ManifestFile"
            )
            outcome = batch.run_batch(
                target[1].rstrip("/") + entry["req_uri"],
                target[2],
                files,
                obs_urls.resolve(root, entry["dest_path"]),
                mapping_type=entry["mapping_type"],
                mapping_rule=entry.get("mapping_rule"),
                file_field=batch.file_input_name(_model_apis(model), entry["req_uri"]),
            )
        except (OSError, ValueError, KeyError) as error:
            self.record(
                service_id,
                status="failed",
                error_msg=f"batch failed: {error}",
                event=("abnormal", f"batch failed: {error}"),
            )
        else:
            finished = now_ms()
            entry["finished_time"] = finished
            self.record(
                service_id,
                status="finished",
                finished_time=finished,
                config=service["config"],
                invocation_times=service["invocation_times"] + outcome.requests,
                failed_times=service["failed_times"] + outcome.failed,
                event=(
                    "normal",
                    f"batch finished: {outcome.requests} requests, {outcome.failed} failed",
                ),
            )
        self.undeploy(service_id)

    def stop_due(self) -> None:
        """Auto-stop real-time services whose `schedule` ran out (due_time)."""
        now = now_ms()
        for service in self.ctx.store.list(KIND):
            due = service.get("due_time")
            if due and now >= due and service["status"] in _SERVING:
                # Stopped first, so that a deployment still being prepared does not start.
                self.record(
                    service["service_id"],
                    status="stopped",
                    due_time=None,
                    event=("normal", "service stopped by its schedule"),
                )
                IOLoop.current().run_in_executor(None, self.undeploy, service["service_id"])

    def recover(self) -> None:
        """After a restart: servers that were serving died with the previous emulator."""
        for service in self.ctx.store.list(KIND):
            for marker, pid in (service.get("pids") or {}).items():
                processes.kill_orphan(int(pid), marker)
            if service["status"] in _SERVING:
                reason = "Local ModelArts stopped while this service was running; start it again"
                self.record(
                    service["service_id"],
                    status="failed",
                    error_msg=reason,
                    pids={},
                    event=("abnormal", reason),
                    result="FAIL",
                )

    def start(self) -> None:
        self._schedule_check = PeriodicCallback(self.stop_due, 1000)
        self._schedule_check.start()

    def shutdown(self) -> None:
        self._shutting_down = True
        if self._schedule_check is not None:
            self._schedule_check.stop()
        with self._lock:
            deployments = list(self._deployments.values())
            self._deployments.clear()
        for deployment in deployments:
            deployment.stop()


def manager(ctx: EmulatorContext) -> ServiceManager:
    found: ServiceManager = ctx.services[MODULE]
    return found


def save(ctx: EmulatorContext, service: Document) -> None:
    ctx.store.put(KIND, service["service_id"], service, name=service["service_name"])


def _label(model: Document) -> str:
    return f"{model.get('model_name', '?')} {model.get('model_version', '?')}"


async def on_start(ctx: EmulatorContext) -> None:
    ctx.services[MODULE] = ServiceManager(ctx)
    manager(ctx).recover()
    manager(ctx).start()


async def on_stop(ctx: EmulatorContext) -> None:
    await IOLoop.current().run_in_executor(None, manager(ctx).shutdown)


# --- handlers -------------------------------------------------------------------------------


class ServiceHandlerBase(EmulatorHandler):
    family = Family.MODELARTS

    @property
    def manager(self) -> ServiceManager:
        return manager(self.ctx)

    def service(self, service_id: str) -> Document:
        service = self.store.get(KIND, service_id)
        if service is None:
            raise ApiError(404, NOT_FOUND, f"Service {service_id} does not exist.")
        return service

    def online_service(self, service_id: str) -> Document:
        """A real-time or edge service (SV-6 and SV-7 serve no batch service)."""
        service = self.service(service_id)
        if service["infer_type"] == "batch":
            raise self.invalid(f"Service {service_id} is a batch service: no monitoring or logs.")
        return service

    def deployable_model(self, model_id: str, index: int, infer_type: str) -> Document:
        """The published model of `config[index]`, allowed to serve `infer_type`."""
        model = find_model(self.ctx, model_id)
        if model is None:
            raise ApiError(
                400, MODEL_MISSING, f"Model {model_id} in config[{index}] does not exist."
            )
        if model["model_status"] != "published":
            raise ApiError(
                400,
                MODEL_UNPUBLISHED,
                f"Model {model_id} is {model['model_status']}, not published.",
            )
        allowed = set(model["install_type"]) | (
            {"real-time"} if "realtime" in model["install_type"] else set()
        )
        if infer_type not in allowed:
            raise ApiError(
                400, WRONG_INSTALL_TYPE, f"Model {model_id} cannot deploy a {infer_type} service."
            )
        return model

    def checked_batch_config(self, body: dict[str, Any]) -> list[Document]:
        """The batch `config` of SV-1/SV-5 (only its first model is used, as documented)."""
        check(body, _BATCH_CONFIG_RULES, CODES)
        entry = body["config"][0]
        model = self.deployable_model(entry["model_id"], 0, "batch")
        if entry["mapping_type"] == "csv" and not entry.get("mapping_rule"):
            raise self.invalid(
                "Invalid parameter config[0].mapping_rule: required when mapping_type is csv"
            )
        if entry["mapping_type"] == "file" and not batch.file_input_name(
            _model_apis(model), entry["req_uri"]
        ):
            raise ApiError(
                400,
                "ModelArts.3514",
                f"The model API {entry['req_uri']} has no single file input for mapping_type file.",
            )
        for field in ("src_path", "dest_path"):
            check_obs_location(self.ctx, entry[field], f"config[0].{field}")
        if not obs_urls.resolve(self.obs.buckets_dir, entry["src_path"]).exists():
            raise self.invalid(
                f"Invalid parameter config[0].src_path: {entry['src_path']} does not exist"
            )
        if entry["instance_count"] > self.manager.max_instances():
            raise ApiError(
                400,
                TOO_MANY_INSTANCES,
                f"At most {self.manager.max_instances()} instances per service.",
            )
        fields = (
            "specification",
            "instance_count",
            "src_path",
            "dest_path",
            "req_uri",
            "mapping_type",
        )
        return [
            {
                "model_id": model["model_id"],
                "model_name": model["model_name"],
                "model_version": model["model_version"],
                **{field: entry[field] for field in fields},
                "envs": {str(k): str(v) for k, v in (entry.get("envs") or {}).items()},
                "mapping_rule": entry.get("mapping_rule") or {},
                **({"src_type": "ManifestFile"} if entry.get("src_type") == "ManifestFile" else {}),
            }
        ]

    def checked_config(self, body: dict[str, Any]) -> list[Document]:
        """The real-time `config` of SV-1/SV-5, checked, with model names and versions."""
        check(body, _REAL_TIME_CONFIG_RULES, CODES)
        entries = []
        total_weight = 0
        instances = 0
        seen_versions: set[tuple[str, str]] = set()
        for index, entry in enumerate(body["config"]):
            weight = _weight(entry.get("weight"), index)
            total_weight += weight
            instances += entry["instance_count"]
            model = self.deployable_model(entry["model_id"], index, "real-time")
            version = (model["model_name"], model["model_version"])
            if version in seen_versions:
                raise ApiError(
                    400, SAME_VERSIONS, "The model versions in the service are the same."
                )
            seen_versions.add(version)
            cluster_id = entry.get("cluster_id") or body.get("cluster_id")
            if cluster_id:
                _require_cluster(cluster_id)
            entries.append(
                {
                    "model_id": model["model_id"],
                    "model_name": model["model_name"],
                    "model_version": model["model_version"],
                    "source_type": model.get("source_type", ""),
                    "status": "notReady",
                    "weight": weight,
                    "specification": entry["specification"],
                    "custom_spec": entry.get("custom_spec") or {},
                    "envs": {str(k): str(v) for k, v in (entry.get("envs") or {}).items()},
                    "instance_count": entry["instance_count"],
                    "scaling": False,
                    "cluster_id": cluster_id or "",
                    "support_debug": False,
                    "additional_properties": entry.get("additional_properties") or {},
                }
            )
        if total_weight != 100:
            raise self.invalid(
                f"Invalid parameter config[].weight: the weights add up to {total_weight}, not 100"
            )
        if instances > self.manager.max_instances():
            raise ApiError(
                400,
                TOO_MANY_INSTANCES,
                f"At most {self.manager.max_instances()} instances per service.",
            )
        return entries

    def start_deployment(self, service: Document, message: str) -> None:
        """Mark the service deploying with a new update log, then start its servers."""
        service.update(status="deploying", progress=0, transition_at=now_ms(), pids={})
        service.pop("error_msg", None)
        service["update_logs"].append(
            {
                "update_time": now_ms(),
                "result": "RUNNING",
                "config": [
                    {
                        k: e[k]
                        for k in (
                            "model_id",
                            "model_name",
                            "model_version",
                            "weight",
                            "specification",
                            "instance_count",
                            "envs",
                            "cluster_id",
                        )
                        if k in e
                    }
                    for e in service["config"]
                ],
                "extend_config": [],
                "cluster_id": service.get("cluster_id", ""),
            }
        )
        service["events"].append(
            {"occur_time": now_ms(), "event_type": "normal", "event_info": message}
        )
        service["due_time"] = _due_time(self.ctx, service)
        save(self.ctx, service)
        IOLoop.current().run_in_executor(None, self.manager.deploy, service)


def _model_apis(model: Document) -> list[dict[str, Any]]:
    """The model's API descriptions (MD-3 `apis`, JSON in a string)."""
    apis = json.loads(model["apis"]) if model.get("apis") else []
    return apis if isinstance(apis, list) else []


def _due_time(ctx: EmulatorContext, service: Document) -> int | None:
    """When the `schedule` stops the service, counted from now (scaled by `config.speed`);
    None without a schedule."""
    if not service.get("schedule"):
        return None
    item = service["schedule"][0]
    duration_ms = item["duration"] * SCHEDULE_UNITS_MS[item["time_unit"]]
    return now_ms() + int(ctx.config.scaled(duration_ms))


def _weight(raw: Any, index: int) -> int:
    """`weight` is an Integer that the documented samples send as a string (`"100"`)."""
    if isinstance(raw, bool) or raw is None:
        raise ApiError(400, CODES.missing, f"Invalid parameter config[{index}].weight: required")
    try:
        weight = int(raw)
    except (TypeError, ValueError):
        raise ApiError(
            400, CODES.invalid, f"Invalid parameter config[{index}].weight: must be an integer"
        ) from None
    if not 0 <= weight <= 100:
        raise ApiError(
            400,
            CODES.invalid,
            f"Invalid parameter config[{index}].weight: must be between 0 and 100",
        )
    return weight


def _require_cluster(cluster_id: str) -> None:
    if not any(cluster["cluster_id"] == cluster_id for cluster in CLUSTERS):
        raise ApiError(404, NO_CLUSTER, f"Cluster {cluster_id} does not exist.")


def public_service(service: Document) -> Document:
    shown = {key: value for key, value in service.items() if key not in _PRIVATE}
    if service["status"] == "failed" and service.get("error_msg"):
        shown["error_msg"] = service["error_msg"]
    if not shown.get("schedule"):
        shown.pop("schedule", None)
    return shown


class ServicesHandler(ServiceHandlerBase):
    def post(self, project_id: str) -> None:
        """SV-1."""
        body = self.json_body()
        check(body, DEPLOY_RULES, CODES)
        workspace_id = body.get("workspace_id") or "0"
        require_workspace(self.ctx, workspace_id)
        if body.get("vpc_id") and not (
            body.get("subnet_network_id") and body.get("security_group_id")
        ):
            raise self.invalid(
                "Invalid parameter subnet_network_id: subnet_network_id and security_group_id "
                "are required with vpc_id"
            )
        if body.get("cluster_id"):
            _require_cluster(body["cluster_id"])
        if body["infer_type"] == "edge":
            check(body, _EDGE_CONFIG_RULES, CODES)
            nodes = [node for entry in body["config"] for node in entry["nodes"]]
            if not nodes:
                raise self.invalid("Invalid parameter config[].nodes: name the edge nodes")
            raise no_edge_node(nodes[0], status=400)
        real_time = body["infer_type"] == "real-time"
        if body.get("schedule") and (not real_time or len(body["schedule"]) != 1):
            raise self.invalid(
                "Invalid parameter schedule: exactly one stop schedule, for real-time services"
            )
        if self.store.find(KIND, name=body["service_name"]) is not None:
            raise ApiError(409, NAME_EXISTS, f"Service {body['service_name']} already exists.")
        config = self.checked_config(body) if real_time else self.checked_batch_config(body)
        service_id = str(uuid.uuid4())
        now = now_ms()
        service: Document = {
            "service_id": service_id,
            "service_name": body["service_name"],
            "description": body.get("description", ""),
            "tenant": self.ctx.config.project_id,
            "project": self.ctx.config.project_id,
            "owner": self.caller.user_name or "",
            "publish_at": now,
            "update_time": now,
            "infer_type": body["infer_type"],
            "workspace_id": workspace_id,
            "status": "deploying",
            "progress": 0,
            "config": config,
            "invocation_times": 0,
            "failed_times": 0,
            "is_shared": False,
            "shared_count": 0,
            "schedule": body.get("schedule") or [],
            "due_time": None,
            "operation_time": now,
            "is_opened_sample_collection": False,
            "transition_at": now,
            "is_free": any(e["specification"].endswith(".free") for e in config),
            "additional_properties": body.get("additional_properties") or {},
            "events": [],
            "update_logs": [],
            "model_counters": {},
            "pids": {},
        }
        for field in ("cluster_id", "vpc_id", "subnet_network_id", "security_group_id"):
            if body.get(field):
                service[field] = body[field]
        if real_time:
            host = f"{self.request.protocol}://{self.request.host}"
            service["access_address"] = f"{host}/v1/infers/{service_id}"
        self.start_deployment(service, "start to deploy service")
        self.send_json({"service_id": service_id})

    def get(self, project_id: str) -> None:
        """SV-2: `offset` is a start page, as documented; without `workspace_id` only the
        default workspace is listed."""

        def arg(name: str) -> str | None:
            return self.get_query_argument(name, None) or None

        infer_type = query_choice(arg("infer_type"), "infer_type", CODES, INFER_TYPES, default=None)
        status = query_choice(arg("status"), "status", CODES, STATUSES, default=None)
        sort_by = str(
            query_choice(
                arg("sort_by"),
                "sort_by",
                CODES,
                ("publish_at", "service_name"),
                default="publish_at",
            )
        )
        order = query_choice(arg("order"), "order", CODES, ("asc", "desc"), default="desc")
        offset = query_int(arg("offset"), "offset", CODES, default=0, minimum=0)
        limit = query_int(arg("limit"), "limit", CODES, default=1000, minimum=1)
        workspace_id = arg("workspace_id") or "0"
        services = [
            s
            for s in self.store.list(KIND)
            if s["workspace_id"] == workspace_id
            and (not arg("service_id") or s["service_id"] == arg("service_id"))
            and (not arg("service_name") or arg("service_name") in s["service_name"])
            and (not arg("model_id") or any(e["model_id"] == arg("model_id") for e in s["config"]))
            and (not infer_type or s["infer_type"] == infer_type)
            and (not status or s["status"] == status)
        ]
        services.sort(key=lambda s: s[sort_by], reverse=order == "desc")
        page = services[offset * limit : (offset + 1) * limit]
        self.send_json(
            {
                "total_count": len(services),
                "count": len(page),
                "services": [
                    {f: s[f] for f in _LIST_FIELDS if f in s and s[f] is not None} for s in page
                ],
            }
        )


class ServiceHandler(ServiceHandlerBase):
    def get(self, project_id: str, service_id: str) -> None:
        """SV-3."""
        self.send_json(public_service(self.service(service_id)))

    async def put(self, project_id: str, service_id: str) -> None:
        """SV-5: description, schedule, then `status` (start/stop) or else `config`."""
        service = self.service(service_id)
        body = self.json_body()
        check(body, UPDATE_RULES, CODES)
        if body.get("schedule") and len(body["schedule"]) != 1:
            raise self.invalid("Invalid parameter schedule: exactly one stop schedule")
        wanted = body.get("status")
        if (wanted or "config" in body) and service["status"] == "deploying":
            raise ApiError(409, BUSY, "The service cannot be updated while it is deploying.")
        config = None
        if "config" in body and not wanted:
            body["config"] = _with_current_specification(body["config"], service["config"])
            if service["infer_type"] == "batch":
                config = self.checked_batch_config(body)
            else:
                config = self.checked_config(body)
        if "description" in body:
            service["description"] = body["description"]
        if "schedule" in body:
            service["schedule"] = body["schedule"] or []
            if service["status"] in _SERVING:
                service["due_time"] = _due_time(self.ctx, service)
        if "additional_properties" in body:
            service["additional_properties"] = body["additional_properties"] or {}
        service["operation_time"] = now_ms()
        if wanted == "stopped" and service["status"] != "stopped":
            await IOLoop.current().run_in_executor(None, self.manager.undeploy, service_id)
            service.update(status="stopped", transition_at=now_ms(), due_time=None, pids={})
            service["events"].append(
                {"occur_time": now_ms(), "event_type": "normal", "event_info": "service stopped"}
            )
            save(self.ctx, service)
        elif wanted == "running" and service["status"] in ("stopped", "failed", "finished"):
            self.start_deployment(service, "start to deploy service")
        elif config is not None:
            service["config"] = config
            service["update_time"] = now_ms()
            self.start_deployment(service, "start to update service")
        else:
            save(self.ctx, service)
        self.finish()

    async def delete(self, project_id: str, service_id: str) -> None:
        """SV-9: `service_id` may list several ids, comma-separated."""
        ids = [part for part in service_id.split(",") if part]
        for one in ids:
            self.service(one)
        for one in ids:
            self.store.delete(KIND, one)
            await IOLoop.current().run_in_executor(None, self.manager.undeploy, one)
        self.finish()


class MonitorHandler(ServiceHandlerBase):
    def get(self, project_id: str, service_id: str) -> None:
        """SV-6: per model, usage of its instances now; floats as strings like the sample."""
        service = self.online_service(service_id)
        deployment = self.manager.deployment(service_id)
        monitors = []
        for entry in service["config"]:
            counters = service["model_counters"].get(entry["model_id"], {})
            cpu, memory = 0.0, 0
            if deployment is not None:
                for pid in deployment.pids(entry["model_id"]):
                    used_cpu, used_memory = processes.usage(pid)
                    cpu, memory = cpu + used_cpu, memory + used_memory
            monitors.append(
                {
                    "model_id": entry["model_id"],
                    "model_name": entry["model_name"],
                    "model_version": entry["model_version"],
                    "invocation_times": counters.get("invocation_times", 0),
                    "failed_times": counters.get("failed_times", 0),
                    "cpu_core_usage": f"{cpu:.2f}",
                    "cpu_core_total": str(2 * entry["instance_count"]),
                    "cpu_memory_usage": memory // (1024 * 1024),
                    "cpu_memory_total": 8192 * entry["instance_count"],
                    "gpu_usage": "0",
                    "gpu_total": "0",
                }
            )
        self.send_json(
            {
                "service_id": service_id,
                "service_name": service["service_name"],
                "monitors": monitors,
            }
        )


class UpdateLogsHandler(ServiceHandlerBase):
    def get(self, project_id: str, service_id: str) -> None:
        """SV-7."""
        service = self.online_service(service_id)
        self.send_json(
            {
                "service_id": service_id,
                "service_name": service["service_name"],
                "logs": service["update_logs"],
            }
        )


class EventsHandler(ServiceHandlerBase):
    def get(self, project_id: str, service_id: str) -> None:
        """SV-8."""
        service = self.service(service_id)

        def arg(name: str) -> str | None:
            return self.get_query_argument(name, None) or None

        event_type = query_choice(
            arg("event_type"), "event_type", CODES, ("normal", "abnormal"), default=None
        )
        start = query_int(arg("start_time"), "start_time", CODES, default=0, minimum=0)
        end = query_int(arg("end_time"), "end_time", CODES, default=2**62, minimum=0)
        offset = query_int(arg("offset"), "offset", CODES, default=0, minimum=0)
        limit = query_int(arg("limit"), "limit", CODES, default=1000, minimum=1)
        query_choice(arg("sort_by"), "sort_by", CODES, ("occur_time",), default="occur_time")
        order = query_choice(arg("order"), "order", CODES, ("asc", "desc"), default="desc")
        # Events of the same millisecond keep the order in which they happened.
        in_order = [
            e
            for _, e in sorted(
                enumerate(service["events"]), key=lambda pair: (pair[1]["occur_time"], pair[0])
            )
        ]
        events = [
            e
            for e in (in_order[::-1] if order == "desc" else in_order)
            if (not event_type or e["event_type"] == event_type) and start <= e["occur_time"] <= end
        ]
        page = events[offset : offset + limit]
        self.send_json(
            {
                "service_id": service_id,
                "service_name": service["service_name"],
                "total_count": len(events),
                "count": len(page),
                "events": page,
            }
        )


class SpecificationsHandler(ServiceHandlerBase):
    def get(self, project_id: str) -> None:
        """SV-10."""
        infer_type = str(
            query_choice(
                self.get_query_argument("infer_type", None),
                "infer_type",
                CODES,
                INFER_TYPES,
                default="real-time",
            )
        )
        query_choice(
            self.get_query_argument("is_personal_cluster", None),
            "is_personal_cluster",
            CODES,
            ("true", "false"),
            default="false",
        )
        self.send_json({"specifications": SERVICE_SPECIFICATIONS[infer_type]})


class ClustersHandler(ServiceHandlerBase):
    def get(self, project_id: str) -> None:
        """SV-11."""

        def arg(name: str) -> str | None:
            return self.get_query_argument(name, None) or None

        sort_by = str(
            query_choice(
                arg("sort_by"),
                "sort_by",
                CODES,
                ("created_at", "cluster_name"),
                default="created_at",
            )
        )
        order = query_choice(arg("order"), "order", CODES, ("asc", "desc"), default="desc")
        offset = query_int(arg("offset"), "offset", CODES, default=0, minimum=0)
        limit = query_int(arg("limit"), "limit", CODES, default=1000, minimum=1)
        clusters = [
            c
            for c in CLUSTERS
            if (not arg("cluster_name") or arg("cluster_name") in c["cluster_name"])
            and (not arg("status") or c["status"] == arg("status"))
        ]
        clusters.sort(key=lambda c: c[sort_by], reverse=order == "desc")
        page = clusters[offset * limit : (offset + 1) * limit]
        self.send_json({"total_count": len(clusters), "count": len(page), "clusters": page})


class InferHandler(ServiceHandlerBase):
    """`access_address`: forwards a prediction to one instance of the service, like the
    cloud's API gateway (X-Auth-Token or AK/SK; `ModelArts.4302` when no instance answers)."""

    auth_scheme = AuthScheme.IAM

    def body_limit(self) -> int:
        return PREDICTION_BODY_LIMIT

    async def post(self, service_id: str, path: str | None = None) -> None:
        service = self.service(service_id)
        deployment = self.manager.deployment(service_id)
        target = deployment.pick() if deployment is not None else None
        if service["status"] not in ("running", "concerning") or target is None:
            self._count(service_id, None, failed=True)
            raise ApiError(
                503,
                PREDICTION_FAILED,
                f"The service is {service['status']}; no instance can answer.",
            )
        model_id, url, server_headers = target
        # A sub-path of access_address goes to the same path of the model's server.
        url = url.rstrip("/") + (path or "/")
        headers = {
            **server_headers,
            "Content-Type": self.request.headers.get("Content-Type", "application/json"),
        }
        try:
            async with httpx.AsyncClient(timeout=PREDICTION_TIMEOUT_SECONDS) as client:
                answer = await client.post(url, content=self.request.body, headers=headers)
        except httpx.TimeoutException:
            self._count(service_id, model_id, failed=True)
            raise ApiError(504, "APIG.0201", "The prediction request timed out.") from None
        except httpx.HTTPError as error:
            self._count(service_id, model_id, failed=True)
            raise ApiError(503, PREDICTION_FAILED, f"The model did not answer: {error}") from None
        self._count(service_id, model_id, failed=answer.status_code >= 400)
        self.set_status(answer.status_code)
        self.set_header("Content-Type", answer.headers.get("Content-Type", "application/json"))
        self.finish(answer.content)

    def _count(self, service_id: str, model_id: str | None, *, failed: bool) -> None:
        with self.store.transaction():
            service = self.store.get(KIND, service_id)
            if service is None:
                return
            service["invocation_times"] += 1
            service["failed_times"] += int(failed)
            if model_id is not None:
                counters = service["model_counters"].setdefault(
                    model_id, {"invocation_times": 0, "failed_times": 0}
                )
                counters["invocation_times"] += 1
                counters["failed_times"] += int(failed)
            save(self.ctx, service)


def no_edge_node(node_id: str, *, status: int) -> ApiError:
    """004 §10.2 "ModelArts.3512 Edge node not deployed": Local ModelArts has no IEF edge nodes,
    so every node is unknown. 400 for a node named in a request body, 404 for one in the path
    (Table 10-1: "The requested resource cannot be found")."""
    return ApiError(
        status,
        EDGE_NODE_NOT_DEPLOYED,
        f"Edge node {node_id} is not deployed: Local ModelArts has no IEF edge nodes.",
    )


class EdgeNodeHandler(ServiceHandlerBase):
    def put(self, project_id: str, service_id: str, node_id: str) -> None:
        """SV-4: edge services cannot be deployed here, so no node runs one."""
        self.service(service_id)
        check(self.json_body(), _NODE_STATUS_RULES, CODES)
        raise no_edge_node(node_id, status=404)


V1 = r"/v1/(?P<project_id>[^/]+)"
SERVICE = V1 + r"/services/(?P<service_id>(?!specifications/?$)[^/]+)"
ROUTES = [
    (V1 + r"/services/?", ServicesHandler),
    (V1 + r"/services/specifications/?", SpecificationsHandler),
    (SERVICE + r"/?", ServiceHandler),
    (SERVICE + r"/monitor/?", MonitorHandler),
    (SERVICE + r"/logs/?", UpdateLogsHandler),
    (SERVICE + r"/events/?", EventsHandler),
    (SERVICE + r"/nodes/(?P<node_id>[^/]+)/status/?", EdgeNodeHandler),
    (V1 + r"/clusters/?", ClustersHandler),
    (r"/v1/infers/(?P<service_id>[^/]+)(?P<path>/.*)?", InferHandler),
]
