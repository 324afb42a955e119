"""DevEnviron (old API): development environment instances, ``/v1/{project_id}/demanager/instances``
(seeds 000 and 001, 004 §4: DE-1 create, DE-2 list, DE-3 get, DE-4 modify, DE-5 delete, DE-6
start/stop/restart/queue/dequeue).

Errors use the 000/001 body ``{"error_code", "error_message"}`` and the 63xx codes of 004 §10.2.
Statuses follow api-catalog.md §4.1: a running instance is a server of the shared instance
runtime (see ``instances``); ``spec.annotations.url`` opens it, and an instance with OBS storage
serves its directory of local OBS. ``auto_stop.duration`` is in
seconds (3,600-86,400) and really stops the instance when due (scaled by ``config.speed``).
"""

from __future__ import annotations

import uuid
from typing import Any

from . import instances, workspaces
from .context import EmulatorContext
from .errors import ApiError, Family
from .fields import Codes, Rule, check, query_choice, query_int
from .handler import EmulatorHandler
from .instances import Effect, Machine, Step
from .instances.lifecycle import Refusal, check_action
from .instances.offerings import (
    DEVENV_FLAVORS,
    DEVENV_PROFILE_ALIASES,
    DEVENV_PROFILES,
    FREE_QUEUE_SECONDS,
)
from .obs_storage import ObsError
from .store import Document, now_ms

KIND = "devenviron_instances"
CODES = Codes(missing="ModelArts.6335", wrong_type="ModelArts.6332", invalid="ModelArts.6336")
NOT_FOUND = "ModelArts.6309"

STATUSES = (
    "CREATE_QUEUING",
    "CREATING",
    "CREATE_FAILED",
    "START_QUEUING",
    "READY_TO_START",
    "STARTING",
    "RESTARTING",
    "START_FAILED",
    "RUNNING",
    "STOPPING",
    "STOPPED",
    "UNAVAILABLE",
    "DELETED",
    "RESIZING",
    "RESIZE_FAILED",
)

#: Documented delays of the transient statuses, in seconds (scaled by config.speed).
MACHINE = Machine(
    kind=KIND,
    steps={
        "CREATE_QUEUING": Step("CREATING", FREE_QUEUE_SECONDS),
        "CREATING": Step("RUNNING", 5, Effect.LAUNCH, on_failure="CREATE_FAILED"),
        "START_QUEUING": Step("READY_TO_START", FREE_QUEUE_SECONDS),
        "READY_TO_START": Step("STARTING", 1),
        "STARTING": Step("RUNNING", 3, Effect.LAUNCH, on_failure="START_FAILED"),
        "RESTARTING": Step("RUNNING", 3, Effect.RELAUNCH, on_failure="START_FAILED"),
        "STOPPING": Step("STOPPED", 2, Effect.HALT),
    },
    running="RUNNING",
    auto_stopping="STOPPING",
    lost="UNAVAILABLE",
)

_DESCRIPTION = Rule("description", max_length=512, forbidden="&<>\"'/", code="ModelArts.6334")
_AUTO_STOP_RULES = (
    Rule("spec.auto_stop", dict),
    Rule("spec.auto_stop.enable", bool),
    Rule("spec.auto_stop.duration", int, minimum=3600, maximum=86400, code="ModelArts.6349"),
    Rule("spec.auto_stop.prompt", bool),
)
CREATE_RULES = (
    Rule(
        "name",
        required=True,
        pattern=r"[A-Za-z0-9_-]{1,64}",
        pattern_hint="1 to 64 letters, digits, hyphens or underscores",
    ),
    Rule("profile_id", required=True),
    _DESCRIPTION,
    Rule("flavor", required=True),
    Rule("spec", dict, required=True),
    Rule("spec.storage", dict, required=True, missing_code="ModelArts.6316"),
    Rule("spec.storage.type", required=True, choices=("obs", "evs"), code="ModelArts.6324"),
    Rule("spec.storage.location", dict),
    Rule("spec.storage.location.path", max_length=1023),
    Rule("spec.storage.location.volume_size", int, minimum=5, maximum=4096, code="ModelArts.6331"),
    Rule("spec.extend_storage", list),
    Rule("spec.extend_storage[]", dict),
    Rule("spec.extend_storage[].type", required=True, choices=("obsfs",), code="ModelArts.6324"),
    Rule("spec.extend_storage[].location", dict),
    Rule("spec.extend_storage[].location.path"),
    Rule("spec.extend_storage[].location.access_modes", choices=("ReadOnlyMany", "ReadWriteMany")),
    *_AUTO_STOP_RULES,
    Rule("spec.annotations", dict),
    Rule("workspace", dict),
    Rule("workspace.id"),
    Rule("pool", dict),
    Rule("pool.id", required=True),
    Rule("pool.type"),
    Rule("pool.name"),
    Rule("ai_project", dict),
    Rule("ai_project.id"),
)
MODIFY_RULES = (_DESCRIPTION, Rule("spec", dict), *_AUTO_STOP_RULES)
ACTION_RULES = (
    Rule("action", required=True, choices=("start", "stop", "restart", "queue", "dequeue")),
)

_STARTING = Refusal(
    "ModelArts.6306", "No other operation is allowed while the instance is starting."
)
_STOPPING = Refusal("ModelArts.6308", "The instance is being stopped.")
_BUSY = {
    status: _STARTING
    for status in (
        "CREATE_QUEUING",
        "CREATING",
        "START_QUEUING",
        "READY_TO_START",
        "STARTING",
        "RESTARTING",
    )
}
_BUSY["STOPPING"] = _STOPPING
_RUNNING = Refusal("ModelArts.6305", "The instance is running.")
_STOPPED = Refusal("ModelArts.6307", "The instance has been stopped.")
_NOT_RUNNING = Refusal("ModelArts.6327", "The instance is not running.")

#: action -> (statuses that allow it, status it moves to, refusals by status, other refusal)
ACTIONS: dict[str, tuple[frozenset[str], str, dict[str, Refusal], Refusal]] = {
    "start": (
        frozenset({"STOPPED", "START_FAILED", "UNAVAILABLE"}),
        "STARTING",
        {**_BUSY, "RUNNING": _RUNNING},
        _NOT_RUNNING,
    ),
    "stop": (frozenset({"RUNNING"}), "STOPPING", {**_BUSY, "STOPPED": _STOPPED}, _NOT_RUNNING),
    "restart": (frozenset({"RUNNING"}), "RESTARTING", {**_BUSY, "STOPPED": _STOPPED}, _NOT_RUNNING),
    "queue": (
        frozenset({"STOPPED", "START_FAILED"}),
        "START_QUEUING",
        {**_BUSY, "RUNNING": _RUNNING},
        _NOT_RUNNING,
    ),
    "dequeue": (
        frozenset({"CREATE_QUEUING", "START_QUEUING", "READY_TO_START"}),
        "STOPPED",
        {"STOPPING": _STOPPING},
        Refusal("ModelArts.6336", "The instance is not queuing."),
    ),
}


def _obs_directory(ctx: EmulatorContext, storage: dict[str, Any]) -> str:
    """The local directory of an OBS storage location, or its documented error (6317, 6318,
    6358, 6320)."""
    path = (storage.get("location") or {}).get("path")
    if not path:
        raise ApiError(400, "ModelArts.6317", "The storage path is required for an obs instance.")
    if not path.endswith("/"):
        raise ApiError(400, "ModelArts.6318", "The param path needs to end with /.")
    parts = [part for part in path.removeprefix("obs://").split("/") if part]
    if len(parts) < 2:
        raise ApiError(
            400,
            "ModelArts.6358",
            "The OBS path must be a directory in a bucket, not the bucket root.",
        )
    if not ctx.obs.bucket_exists(parts[0]):
        raise ApiError(
            400, "ModelArts.6320", f"OBS access error: bucket {parts[0]} does not exist."
        )
    try:
        return str(ctx.obs.local_path(path))
    except ObsError as error:
        raise ApiError(400, "ModelArts.6320", f"OBS access error: {error.message}") from None


def _auto_stop(raw: dict[str, Any] | None, previous: dict[str, Any] | None = None) -> dict:
    """The stored auto_stop settings; ``enable`` without ``duration`` is 6348."""
    merged = {"enable": False, "prompt": True, **(previous or {}), **(raw or {})}
    if merged["enable"] and merged.get("duration") is None:
        raise ApiError(
            400,
            "ModelArts.6348",
            "Invalid parameter spec.auto_stop.duration: required when enable is true",
        )
    return merged


def _apply_auto_stop(doc: Document) -> None:
    settings = doc["auto_stop"]
    doc["auto_stop_seconds"] = settings["duration"] if settings["enable"] else None


def _find(ctx: EmulatorContext, instance_id: str) -> Document:
    doc = ctx.store.get(KIND, instance_id)
    if doc is None:
        raise ApiError(404, NOT_FOUND, "The instance does not exist.")
    return doc


def render(ctx: EmulatorContext, doc: Document, request_base: str) -> dict[str, Any]:
    """The DevEnvInstance wire shape (api-catalog.md §2.1.1), timestamps as strings."""
    now = now_ms()
    status = doc["status"]
    auto_stop: dict[str, Any] = {
        key: doc["auto_stop"].get(key) for key in ("duration", "enable", "prompt")
    }
    if status == "RUNNING" and doc.get("stop_at") is not None:
        auto_stop["stop_timestamp"] = doc["stop_at"]
        auto_stop["remain_time"] = max(0, (doc["stop_at"] - now) // 1000)
    failed = None
    if doc.get("fail_reason") and status in ("CREATE_FAILED", "START_FAILED", "UNAVAILABLE"):
        failed = {"code": "ModelArts.6333", "message": doc["fail_reason"], "detail": {}}
    flavor = DEVENV_FLAVORS[doc["flavor"]]
    shown: dict[str, Any] = {
        "ai_project": {"id": doc["ai_project"]},
        "creation_timestamp": str(doc["created_at"]),
        "description": doc["description"],
        "flavor": doc["flavor"],
        "flavor_details": flavor,
        "id": doc["id"],
        "latest_update_timestamp": str(doc["updated_at"]),
        "name": doc["name"],
        "profile": doc["profile"],
        "spec": {
            "annotations": {
                **doc["annotations"],
                "target_domain": request_base,
                "url": instances.absolute_url(request_base, doc["url"])
                if status == "RUNNING"
                else "",
            },
            "auto_stop": auto_stop,
            "extend_params": None,
            "extend_storage": doc["extend_storage"],
            "failed_reasons": failed,
            "repository": None,
            "storage": doc["storage"],
        },
        "status": status,
        "user": {key: instances.owner(ctx)[key] for key in ("id", "name")},
        "workspace": {"id": doc["workspace_id"]},
    }
    if doc.get("pool"):
        shown["pool"] = doc["pool"]
    if status in ("CREATE_QUEUING", "START_QUEUING"):
        queue_ms = int(ctx.config.scaled(MACHINE.steps[status].seconds) * 1000)
        end = doc["status_since"] + queue_ms
        shown["queuing_info"] = {
            "id": doc["id"],
            "name": doc["name"],
            "de_type": "Notebook",
            "flavor": doc["flavor"],
            "flavor_details": flavor,
            "status": status,
            "begin_timestamp": doc["status_since"],
            "remain_time": max(0, (end - now) // 1000),
            "end_timestamp": end,
            "rank": 1,
        }
    return shown


class _DevEnvHandler(EmulatorHandler):
    family = Family.DEVENVIRON
    validation_code = CODES.invalid

    @property
    def request_base(self) -> str:
        return f"{self.request.protocol}://{self.request.host}"

    @property
    def supervisor(self) -> instances.Supervisor:
        return instances.supervisor(self.ctx)

    def send_instance(self, doc: Document) -> None:
        self.send_json(render(self.ctx, doc, self.request_base))


class InstancesHandler(_DevEnvHandler):
    def post(self, project_id: str) -> None:
        body = self.json_body()
        check(body, CREATE_RULES, CODES)
        profile_id = DEVENV_PROFILE_ALIASES.get(body["profile_id"], body["profile_id"])
        profile = DEVENV_PROFILES.get(profile_id)
        if profile is None:
            raise self.invalid(
                f"Invalid parameter profile_id: unknown profile {profile_id}; "
                f"available: {', '.join(DEVENV_PROFILES)}"
            )
        flavor = DEVENV_FLAVORS.get(body["flavor"])
        if flavor is None:
            raise ApiError(400, "ModelArts.6323", f"The flavor {body['flavor']} is not supported.")
        if profile["flavor_type"] not in (None, flavor["type"]):
            raise ApiError(
                400,
                "ModelArts.6330",
                f"Types not matched: flavor {flavor['name']} is {flavor['type']}, "
                f"profile {profile_id} needs {profile['flavor_type']}.",
            )
        sold_out = flavor["status"] == "soldOut"
        if sold_out and flavor["promo_type"] != "Free":
            raise ApiError(409, "ModelArts.6329", f"The flavor {flavor['name']} is sold out.")
        storage = body["spec"]["storage"]
        root = None
        if storage["type"] == "obs":
            # an OBS instance works directly in its OBS directory: files saved in the notebook
            # are objects of local OBS
            root = _obs_directory(self.ctx, storage)
        else:
            location = storage.get("location") or {}
            storage = {
                "type": "evs",
                "location": {
                    "path": "/home/ma-user/work",
                    "volume_size": location.get("volume_size", 5),
                    "volume_unit": "GB",
                },
            }
        auto_stop = _auto_stop(body["spec"].get("auto_stop"))
        workspace_id = (body.get("workspace") or {}).get("id") or workspaces.DEFAULT_ID
        workspaces.require_workspace(self.ctx, workspace_id)
        if self.store.find(KIND, name=body["name"]) is not None:
            raise ApiError(409, "ModelArts.6301", f"The instance {body['name']} already exists.")
        profile_shown = {key: value for key, value in profile.items() if value is not None}
        doc = instances.base_fields(
            f"DE-{uuid.uuid4()}",
            body["name"],
            "CREATE_QUEUING" if sold_out else "CREATING",
            description=body.get("description", ""),
            flavor=flavor["name"],
            profile=profile_shown,
            storage=storage,
            extend_storage=body["spec"].get("extend_storage"),
            annotations=body["spec"].get("annotations") or {},
            auto_stop=auto_stop,
            workspace_id=workspace_id,
            pool=body.get("pool"),
            ai_project=(body.get("ai_project") or {}).get("id") or "default-ai-project",
            root=root,
        )
        _apply_auto_stop(doc)
        self.store.put(KIND, doc["id"], doc, name=doc["name"])
        self.send_instance(doc)

    def get(self, project_id: str) -> None:
        arg = self.get_query_argument
        if arg("de_type", None) is None:
            raise ApiError(
                400, CODES.missing, "Invalid parameter de_type: this parameter is required"
            )
        query_choice(arg("de_type"), "de_type", CODES, ("Notebook",), default=None)
        query_choice(
            arg("provision_type", None), "provision_type", CODES, ("Docker",), default=None
        )
        status = query_choice(arg("status", None), "status", CODES, STATUSES, default=None)
        sortby = query_choice(
            arg("sortby", None),
            "sortby",
            CODES,
            ("name", "creation_timestamp"),
            default="name",
            code="ModelArts.6303",
        )
        order = query_choice(arg("order", None), "order", CODES, ("asc", "desc"), default="asc")
        offset = query_int(arg("offset", None), "offset", CODES, default=0, minimum=0)
        limit = query_int(arg("limit", None), "limit", CODES, default=0, minimum=0)
        workspace_id = arg("workspace_id", None) or workspaces.DEFAULT_ID
        found = [doc for doc in self.store.list(KIND) if doc["workspace_id"] == workspace_id]
        if status:
            found = [doc for doc in found if doc["status"] == status]
        if arg("pool_id", None):
            found = [doc for doc in found if (doc.get("pool") or {}).get("id") == arg("pool_id")]
        if arg("ai_project", None):
            found = [doc for doc in found if doc["ai_project"] == arg("ai_project")]
        found.sort(
            key=lambda doc: doc["name"] if sortby == "name" else doc["created_at"],
            reverse=order == "desc",
        )
        page = found[offset : offset + limit] if limit else found[offset:]
        self.send_json(
            {
                "instances": [render(self.ctx, doc, self.request_base) for doc in page],
                "total_count": len(found),
            }
        )


class InstanceHandler(_DevEnvHandler):
    def get(self, project_id: str, instance_id: str) -> None:
        self.send_instance(_find(self.ctx, instance_id))

    def put(self, project_id: str, instance_id: str) -> None:
        doc = _find(self.ctx, instance_id)
        body = self.json_body()
        check(body, MODIFY_RULES, CODES)
        if "description" in body:
            doc["description"] = body["description"]
        raw = (body.get("spec") or {}).get("auto_stop")
        if raw is not None:
            doc["auto_stop"] = _auto_stop(raw, doc["auto_stop"])
            # a new duration counts from the next start (001); turning auto stop off is immediate
            _apply_auto_stop(doc)
            if not doc["auto_stop"]["enable"]:
                doc["stop_at"] = None
        self.supervisor.save(KIND, doc)
        self.send_instance(doc)

    def delete(self, project_id: str, instance_id: str) -> None:
        doc = _find(self.ctx, instance_id)
        if doc["status"] in ("RUNNING", "STARTING", "RESTARTING", "CREATING", "STOPPING"):
            raise ApiError(409, "ModelArts.6304", "Stop the instance before deleting it.")
        self.supervisor.remove(KIND, doc)
        self.send_json({"instance_id": instance_id})


class ActionHandler(_DevEnvHandler):
    def post(self, project_id: str, instance_id: str) -> None:
        doc = _find(self.ctx, instance_id)
        body = self.json_body()
        check(body, ACTION_RULES, CODES)
        action = body["action"]
        if action in ("queue", "dequeue") and DEVENV_FLAVORS[doc["flavor"]]["promo_type"] != "Free":
            raise self.invalid(f"Invalid parameter action: {action} applies to free flavors only")
        allowed, target, refusals, fallback = ACTIONS[action]
        refusal = check_action(doc["status"], allowed, refusals, fallback)
        if refusal is not None:
            raise ApiError(409, refusal.code, refusal.message)
        previous = doc["status"]
        self.supervisor.enter(KIND, doc, target)
        self.send_json({"current_status": target, "previous_state": previous})


async def on_start(ctx: EmulatorContext) -> None:
    instances.supervisor(ctx).register(MACHINE)


_V1 = r"/v1/(?P<project_id>[^/]+)/demanager/instances"
ROUTES = [
    (_V1, InstancesHandler),
    (_V1 + r"/(?P<instance_id>[^/]+)/action", ActionHandler),
    (_V1 + r"/(?P<instance_id>[^/]+)", InstanceHandler),
]
