"""Notebooks (new API), ``/v1/{project_id}/notebooks``: create per seed 002 (NB-1), and list, show,
update, start, stop, delete, lease, flavors, switchable flavors and images in the shapes of the
official SDK's model classes (``huaweicloudsdkmodelarts.v1.model``).

Durations are milliseconds (``duration``, ``lease.duration``); the lease really stops a running
instance when due (scaled by ``config.speed``). A running instance is a server of the shared
instance runtime (``instances``); ``url`` opens it with ``token``. Errors:
``{"error_code", "error_msg"}`` with the DevEnviron 63xx codes.
"""

from __future__ import annotations

import math
import uuid
from typing import Any

from . import instances, workspaces
from .context import EmulatorContext
from .errors import ApiError, Family
from .fields import Codes, Rule, check, query_choice, query_int
from .handler import EmulatorHandler
from .instances import Effect, Machine, Step
from .instances.lifecycle import Refusal, check_action
from .instances.offerings import NOTEBOOK_FLAVORS, NOTEBOOK_IMAGES, notebook_image
from .store import Document, now_ms

KIND = "notebooks"
CODES = Codes(missing="ModelArts.6335", wrong_type="ModelArts.6332", invalid="ModelArts.6336")
NOT_FOUND = "ModelArts.6309"
MOUNT_PATH = "/home/ma-user/work/"
DEFAULT_LEASE_MS = 3_600_000
#: Seed 002 gives `duration` (milliseconds) no range, so Local ModelArts takes any positive one.
#: The cloud's real limit is known from the official SDK (NotebookCreateRequest, LeaseReq and
#: StartNotebookRequest `duration`: value range 3600000-259200000); beyond it the cloud answers
#: 004 §10.2 "ModelArts.6349 The value of duration exceeds the threshold.", which code that
#: passes here can still meet there.
#: The list's default page size is the official SDK's (ListNotebooksRequest `limit`, default 10);
#: the SDK also restricts `limit` to 10, 20 or 50 on the cloud, a rule seed 002 does not give, so
#: any positive `limit` is served here.
LIST_DEFAULT_LIMIT = 10

STATUSES = (
    "INIT",
    "CREATING",
    "STARTING",
    "STOPPING",
    "DELETING",
    "RUNNING",
    "STOPPED",
    "SNAPSHOTTING",
    "CREATE_FAILED",
    "START_FAILED",
    "DELETE_FAILED",
    "ERROR",
    "DELETED",
    "FROZEN",
)
#: 002 JobProgress steps of CREATING, in order
PROGRESS_STEPS = (
    "Prepare the storage.",
    "Prepare the compute resource.",
    "Configuring the network.",
    "Initialize the notebook instance.",
)
CREATE_SECONDS = 8.0

_NAME = Rule(
    "name",
    pattern=r"[A-Za-z0-9_-]{1,64}",
    pattern_hint="1 to 64 letters, digits, hyphens or underscores",
)
_IMAGE_ID = Rule(
    "image_id",
    pattern=r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    pattern_hint="must be an image UUID (see GET /v1/{project_id}/images)",
)
_DESCRIPTION = Rule("description", max_length=512, forbidden="&<>\"'/", code="ModelArts.6334")
_ENDPOINT_RULES = (
    Rule("endpoints", list),
    Rule("endpoints[]", dict),
    Rule("endpoints[].allowed_access_ips", list, max_items=5),
    Rule("endpoints[].allowed_access_ips[]"),
    Rule("endpoints[].dev_service", choices=("NOTEBOOK", "SSH")),
    # the official SDK's names for the same two fields
    Rule("endpoints[].service", choices=("NOTEBOOK", "SSH")),
    Rule("endpoints[].ssh_keys", list),
    Rule("endpoints[].ssh_keys[]"),
    Rule("endpoints[].key_pair_names", list),
    Rule("endpoints[].key_pair_names[]"),
)
CREATE_RULES = (
    Rule(_NAME.path, required=True, pattern=_NAME.pattern, pattern_hint=_NAME.pattern_hint),
    _DESCRIPTION,
    Rule("duration", int, minimum=1),
    Rule("lease", dict),
    Rule("lease.duration", int, minimum=1),
    Rule("lease.type", choices=("TIMING", "IDLE")),
    *_ENDPOINT_RULES,
    Rule("feature", choices=("DEFAULT", "NOTEBOOK")),
    Rule("flavor", required=True),
    Rule(
        _IMAGE_ID.path,
        required=True,
        pattern=_IMAGE_ID.pattern,
        pattern_hint=_IMAGE_ID.pattern_hint,
    ),
    Rule("pool_id"),
    Rule("volume", dict, required=True),
    Rule("volume.category", required=True, choices=("EFS", "EVS"), ignore_case=True),
    Rule("volume.ownership", required=True, choices=("MANAGED", "DEDICATED"), ignore_case=True),
    Rule("volume.capacity", int, minimum=1, maximum=4096, code="ModelArts.6331"),
    Rule("volume.uri"),
    Rule(
        "workspace_id",
        pattern=r"0|[0-9a-z]{32}",
        pattern_hint="must be 0 or 32 lowercase letters and digits",
    ),
)
UPDATE_RULES = (
    _NAME,
    _DESCRIPTION,
    *_ENDPOINT_RULES,
    Rule("flavor"),
    Rule("image_id", pattern=_IMAGE_ID.pattern, pattern_hint=_IMAGE_ID.pattern_hint),
    Rule("storage_new_size", int, minimum=1, maximum=4096, code="ModelArts.6331"),
)
LEASE_RULES = (
    Rule(
        "duration",
        int,
        required=True,
        minimum=1,
    ),
    Rule("type", choices=("TIMING", "IDLE")),
)

_STARTING = Refusal(
    "ModelArts.6306", "No other operation is allowed while the instance is starting."
)
_STOPPING = Refusal("ModelArts.6308", "The instance is being stopped.")
_DELETING = Refusal("ModelArts.6309", "The instance is being deleted.")
_BUSY = {
    "INIT": _STARTING,
    "CREATING": _STARTING,
    "STARTING": _STARTING,
    "STOPPING": _STOPPING,
    "DELETING": _DELETING,
}
_NOT_RUNNING = Refusal("ModelArts.6327", "The instance is not running.")
_START = (
    frozenset({"STOPPED", "START_FAILED", "ERROR"}),
    {**_BUSY, "RUNNING": Refusal("ModelArts.6305", "The instance is running.")},
    _NOT_RUNNING,
)
_STOP = (
    frozenset({"RUNNING"}),
    {**_BUSY, "STOPPED": Refusal("ModelArts.6307", "The instance has been stopped.")},
    _NOT_RUNNING,
)


def _lease(doc: Document) -> dict[str, Any]:
    lease = doc["lease"]
    return {
        "create_at": lease["from"],
        "duration": lease["duration"],
        "enable": lease["enable"],
        "type": lease["type"],
        "update_at": lease["updated"],
    }


def _restart_lease(doc: Document) -> None:
    """Each start counts the lease from the moment the instance runs (Machine.on_change)."""
    if doc["status"] == "RUNNING":
        doc["lease"].update({"from": doc["started_at"], "updated": doc["started_at"]})


def _progress(ctx: EmulatorContext, doc: Document) -> list[dict[str, Any]]:
    """002 JobProgress: the four creation steps advance with the time spent CREATING."""
    status, count = doc["status"], len(PROGRESS_STEPS)
    if status == "CREATING":
        elapsed = now_ms() - doc["status_since"]
        current = min(
            int(elapsed / max(ctx.config.scaled(CREATE_SECONDS) * 1000, 1) * count), count - 1
        )
        states = ["COMPLETED"] * current + ["PROCESSING"] + ["WAITING"] * (count - current - 1)
    elif status == "CREATE_FAILED":
        states = ["COMPLETED"] * (count - 1) + ["FAILED"]
    else:
        states = ["COMPLETED"] * count
    return [
        {
            "notebook_id": doc["id"],
            "step": index + 1,
            "status": state,
            "description": description,
            "step_description": description,
        }
        for index, (state, description) in enumerate(zip(states, PROGRESS_STEPS, strict=True))
    ]


MACHINE = Machine(
    kind=KIND,
    steps={
        "CREATING": Step("RUNNING", CREATE_SECONDS, Effect.LAUNCH, on_failure="CREATE_FAILED"),
        "STARTING": Step("RUNNING", 3, Effect.LAUNCH, on_failure="START_FAILED"),
        "STOPPING": Step("STOPPED", 2, Effect.HALT),
        "DELETING": Step(None, 2, Effect.HALT),
    },
    running="RUNNING",
    auto_stopping="STOPPING",
    lost="ERROR",
    on_change=_restart_lease,
)


def _image(image_id: str) -> dict[str, Any]:
    """The image of an instance in the SDK's ``Image`` shape. 002 asks only for a UUID and
    lists images the user saved ("DEDICATED: image saved by the user"), which Local ModelArts
    cannot know: an id outside the built-in catalog stands for such an image and runs on the
    same local runtime."""
    known = NOTEBOOK_IMAGES.get(image_id)
    if known is not None:
        return notebook_image(known)
    dedicated = {
        "id": image_id,
        "name": f"dedicated-{image_id[:8]}",
        "tag": "latest",
        "description": "An image saved by the user (not in the Local ModelArts catalog)",
        "resource_categories": ["CPU", "GPU"],
    }
    return {**notebook_image(dedicated), "type": "DEDICATED", "visibility": "PRIVATE"}


def render(ctx: EmulatorContext, doc: Document, request_base: str) -> dict[str, Any]:
    """A notebook in the SDK's NotebookResp shape (002 field names where they differ)."""
    shown: dict[str, Any] = {
        "id": doc["id"],
        "name": doc["name"],
        "description": doc["description"],
        "status": doc["status"],
        "feature": doc["feature"],
        "flavor": doc["flavor"],
        "action_progress": _progress(ctx, doc),
        "endpoints": doc["endpoints"],
        "fail_reason": doc.get("fail_reason") or "",
        "image": _image(doc["image_id"]),
        "lease": _lease(doc),
        "token": doc["token"],
        "url": instances.absolute_url(request_base, doc["url"])
        if doc["status"] == "RUNNING"
        else "",
        "volume": doc["volume"],
        "workspace_id": doc["workspace_id"],
        "user": instances.owner(ctx),
        "user_id": instances.owner(ctx)["id"],
        "billing_items": ["STORAGE", "COMPUTE"],
        "create_at": doc["created_at"],
        "update_at": doc["updated_at"],
    }
    if doc.get("pool_id"):
        shown["pool"] = {"id": doc["pool_id"], "name": doc["pool_id"]}
    return shown


def _find(ctx: EmulatorContext, notebook_id: str) -> Document:
    doc = ctx.store.get(KIND, notebook_id)
    if doc is None:
        raise ApiError(404, NOT_FOUND, f"The instance {notebook_id} does not exist.")
    return doc


def _endpoints(raw: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [
        {
            "dev_service": item.get("dev_service") or item.get("service") or "NOTEBOOK",
            "allowed_access_ips": item.get("allowed_access_ips") or [],
            "ssh_keys": item.get("ssh_keys") or item.get("key_pair_names") or [],
        }
        for item in raw or []
    ]


def _volume(body: dict[str, Any]) -> dict[str, Any]:
    raw = body["volume"]
    category, ownership = raw["category"].upper(), raw["ownership"].upper()
    if ownership == "DEDICATED" and category != "EFS":
        raise ApiError(
            400,
            CODES.invalid,
            "Invalid parameter volume.ownership: DEDICATED is supported only with EFS",
        )
    if ownership == "DEDICATED" and not raw.get("uri"):
        raise ApiError(
            400,
            CODES.missing,
            "Invalid parameter volume.uri: required when category is EFS and "
            "ownership is DEDICATED",
        )
    volume = {
        "category": category,
        "ownership": ownership,
        "capacity": raw.get("capacity", 50 if category == "EFS" else 5),
        "mount_path": MOUNT_PATH,
        "status": "READY",
    }
    if raw.get("uri"):
        volume["uri"] = raw["uri"]
    return volume


def _page(
    request: EmulatorHandler,
    items: list[Any],
    *,
    default_limit: int | None,
) -> dict[str, Any]:
    """The notebooks family's page: {current, data, pages, size, total}."""
    offset = query_int(
        request.get_query_argument("offset", None), "offset", CODES, default=0, minimum=0
    )
    limit = query_int(
        request.get_query_argument("limit", None),
        "limit",
        CODES,
        default=default_limit or max(len(items), 1),
        minimum=1,
    )
    data = items[offset : offset + limit]
    return {
        "current": offset // limit,
        "data": data,
        "pages": math.ceil(len(items) / limit),
        "size": len(data),
        "total": len(items),
    }


class _NotebookHandler(EmulatorHandler):
    family = Family.MODELARTS
    validation_code = CODES.invalid

    @property
    def request_base(self) -> str:
        return f"{self.request.protocol}://{self.request.host}"

    @property
    def supervisor(self) -> instances.Supervisor:
        return instances.supervisor(self.ctx)

    def send_notebook(self, doc: Document) -> None:
        self.send_json(render(self.ctx, doc, self.request_base))

    def act(
        self, doc: Document, rules: tuple[frozenset[str], dict[str, Refusal], Refusal], target: str
    ) -> None:
        refusal = check_action(doc["status"], *rules)
        if refusal is not None:
            raise ApiError(409, refusal.code, refusal.message)
        self.supervisor.enter(KIND, doc, target)
        self.send_notebook(doc)


class NotebooksHandler(_NotebookHandler):
    def post(self, project_id: str) -> None:
        body = self.json_body()
        check(body, CREATE_RULES, CODES)
        flavor = NOTEBOOK_FLAVORS.get(body["flavor"])
        if flavor is None:
            raise ApiError(400, "ModelArts.6323", f"The flavor {body['flavor']} is not supported.")
        volume = _volume(body)
        feature = body.get("feature", "NOTEBOOK")
        if feature == "DEFAULT" and any(
            doc["feature"] == "DEFAULT" for doc in self.store.list(KIND)
        ):
            raise ApiError(409, "ModelArts.6302", "Only one free DEFAULT instance is allowed.")
        workspace_id = body.get("workspace_id") or workspaces.DEFAULT_ID
        workspaces.require_workspace(self.ctx, workspace_id)
        lease_ms = (
            body.get("duration") or (body.get("lease") or {}).get("duration") or DEFAULT_LEASE_MS
        )
        now = now_ms()
        doc = instances.base_fields(
            str(uuid.uuid4()),
            body["name"],
            "CREATING",
            description=body.get("description", ""),
            feature=feature,
            flavor=flavor["id"],
            image_id=body["image_id"],
            endpoints=_endpoints(body.get("endpoints")),
            volume=volume,
            workspace_id=workspace_id,
            pool_id=body.get("pool_id"),
            lease={
                "from": now,
                "duration": lease_ms,
                "enable": True,
                "type": (body.get("lease") or {}).get("type", "TIMING"),
                "updated": now,
            },
            auto_stop_seconds=lease_ms / 1000,
        )
        self.supervisor.save(KIND, doc)
        self.send_notebook(doc)

    def get(self, project_id: str) -> None:
        arg = self.get_query_argument
        status = query_choice(arg("status", None), "status", CODES, STATUSES, default=None)
        feature = query_choice(
            arg("feature", None), "feature", CODES, ("DEFAULT", "NOTEBOOK"), default=None
        )
        order = query_choice(
            arg("sort_dir", None), "sort_dir", CODES, ("ASC", "DESC"), default="DESC"
        )
        found = self.store.list(KIND)
        filters = {
            "status": status,
            "feature": feature,
            "flavor": arg("flavor", None),
            "image_id": arg("image_id", None),
            "pool_id": arg("pool_id", None),
            "id": arg("id", None),
            "workspace_id": arg("workspace_id", None),
        }
        for key, wanted in filters.items():
            if wanted:
                found = [doc for doc in found if doc.get(key) == wanted]
        if arg("name", None):
            found = [doc for doc in found if arg("name").lower() in doc["name"].lower()]
        sort_key = arg("sort_key", None) or "create_at"
        field = {
            "name": "name",
            "status": "status",
            "create_at": "created_at",
            "update_at": "updated_at",
        }.get(sort_key.split(",")[0])
        if field is None:
            raise ApiError(
                400,
                "ModelArts.6303",
                f"Invalid parameter sort_key: {sort_key} "
                "cannot be sorted; use name, status, create_at or update_at",
            )
        found.sort(key=lambda doc: doc[field], reverse=order == "DESC")
        page = _page(self, found, default_limit=LIST_DEFAULT_LIMIT)
        page["data"] = [render(self.ctx, doc, self.request_base) for doc in page["data"]]
        self.send_json(page)


class NotebookHandler(_NotebookHandler):
    def get(self, project_id: str, notebook_id: str) -> None:
        self.send_notebook(_find(self.ctx, notebook_id))

    def put(self, project_id: str, notebook_id: str) -> None:
        doc = _find(self.ctx, notebook_id)
        body = self.json_body()
        check(body, UPDATE_RULES, CODES)
        stopped = doc["status"] in ("STOPPED", "START_FAILED", "ERROR", "CREATE_FAILED")
        for field in ("flavor", "image_id"):
            if field in body and body[field] != doc[field]:
                if field == "flavor" and body[field] not in NOTEBOOK_FLAVORS:
                    raise self.invalid(f"Invalid parameter {field}: {body[field]} does not exist")
                if not stopped:
                    raise ApiError(
                        409, "ModelArts.6357", f"Stop the instance before changing its {field}."
                    )
                doc[field] = body[field]
        if "storage_new_size" in body:
            if doc["volume"]["category"] != "EVS":
                raise self.invalid("Invalid parameter storage_new_size: only EVS storage grows")
            if body["storage_new_size"] < doc["volume"]["capacity"]:
                raise self.invalid(
                    "Invalid parameter storage_new_size: storage can only grow "
                    f"(now {doc['volume']['capacity']} GB)"
                )
            doc["volume"]["capacity"] = body["storage_new_size"]
        for field in ("name", "description"):
            if field in body:
                doc[field] = body[field]
        if "endpoints" in body:
            doc["endpoints"] = _endpoints(body["endpoints"])
        self.supervisor.save(KIND, doc)
        self.send_notebook(doc)

    def delete(self, project_id: str, notebook_id: str) -> None:
        doc = _find(self.ctx, notebook_id)
        if doc["status"] != "DELETING":
            self.supervisor.enter(KIND, doc, "DELETING")
        self.send_notebook(doc)


class StartHandler(_NotebookHandler):
    def post(self, project_id: str, notebook_id: str) -> None:
        doc = _find(self.ctx, notebook_id)
        duration = query_int(
            self.get_query_argument("duration", None),
            "duration",
            CODES,
            default=doc["lease"]["duration"],
            minimum=1,
        )
        query_choice(
            self.get_query_argument("type", None), "type", CODES, ("TIMING", "IDLE"), default=None
        )
        doc["lease"]["duration"] = duration
        doc["auto_stop_seconds"] = duration / 1000
        # act() refuses before anything is stored, so a refused start changes nothing
        self.act(doc, _START, "STARTING")


class StopHandler(_NotebookHandler):
    def post(self, project_id: str, notebook_id: str) -> None:
        self.act(_find(self.ctx, notebook_id), _STOP, "STOPPING")


class LeaseHandler(_NotebookHandler):
    def get(self, project_id: str, notebook_id: str) -> None:
        self.send_json(_lease(_find(self.ctx, notebook_id)))

    def patch(self, project_id: str, notebook_id: str) -> None:
        doc = _find(self.ctx, notebook_id)
        body = self.json_body()
        check(body, LEASE_RULES, CODES)
        if doc["status"] != "RUNNING":
            raise ApiError(409, _NOT_RUNNING.code, _NOT_RUNNING.message)
        now = now_ms()
        doc["lease"].update(duration=body["duration"], **{"from": now, "updated": now})
        doc["auto_stop_seconds"] = body["duration"] / 1000
        doc["stop_at"] = now + int(self.ctx.config.scaled(body["duration"] / 1000) * 1000)
        self.supervisor.save(KIND, doc)
        self.send_json(_lease(doc))


def _flavor_page(handler: EmulatorHandler, flavors: list[dict[str, Any]]) -> dict[str, Any]:
    page = _page(handler, flavors, default_limit=None)
    page["flavors"] = page["data"]
    return page


class FlavorsHandler(_NotebookHandler):
    def get(self, project_id: str) -> None:
        category = query_choice(
            self.get_query_argument("category", None),
            "category",
            CODES,
            ("CPU", "GPU", "ASCEND"),
            default=None,
        )
        flavors = [
            flavor
            for flavor in NOTEBOOK_FLAVORS.values()
            if category is None or flavor["category"] == category
        ]
        self.send_json(_flavor_page(self, flavors))


class SwitchableFlavorsHandler(_NotebookHandler):
    def get(self, project_id: str, notebook_id: str) -> None:
        doc = _find(self.ctx, notebook_id)
        current = NOTEBOOK_FLAVORS[doc["flavor"]]
        flavors = [
            flavor
            for flavor in NOTEBOOK_FLAVORS.values()
            if flavor["category"] == current["category"]
            and not flavor["free"]
            and flavor["id"] != current["id"]
        ]
        self.send_json(_flavor_page(self, flavors))


class ImagesHandler(_NotebookHandler):
    def get(self, project_id: str) -> None:
        query_choice(
            self.get_query_argument("type", None),
            "type",
            CODES,
            ("BUILD_IN", "DEDICATED"),
            default="BUILD_IN",
        )
        name = self.get_query_argument("name", None)
        images = [
            notebook_image(image)
            for image in NOTEBOOK_IMAGES.values()
            if not name or name in image["name"]
        ]
        self.send_json(_page(self, images, default_limit=200))


async def on_start(ctx: EmulatorContext) -> None:
    instances.supervisor(ctx).register(MACHINE)


_V1 = r"/v1/(?P<project_id>[^/]+)"
_ONE = _V1 + r"/notebooks/(?P<notebook_id>[^/]+)"
ROUTES = [
    (_V1 + r"/notebooks", NotebooksHandler),
    (_V1 + r"/notebooks/all", NotebooksHandler),
    (_V1 + r"/notebooks/flavors", FlavorsHandler),
    (_ONE + r"/start", StartHandler),
    (_ONE + r"/stop", StopHandler),
    (_ONE + r"/lease", LeaseHandler),
    (_ONE + r"/flavors", SwitchableFlavorsHandler),
    (_ONE, NotebookHandler),
    (_V1 + r"/images", ImagesHandler),
]
