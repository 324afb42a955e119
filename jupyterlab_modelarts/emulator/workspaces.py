"""Workspaces and their quotas (004 §8, WS-1 to WS-7), error shape E5 (with ``request_id``).

The default workspace (id ``"0"``, name ``default``) always exists and cannot be renamed or
deleted. Deleting a workspace moves it to ``DELETING``; it disappears after a short, scaled
delay. Other modules call :func:`require_workspace` before creating anything in a workspace.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from .context import EmulatorContext
from .errors import ApiError, Family
from .fields import Codes, Rule, check, query_choice, query_int
from .handler import EmulatorHandler
from .store import Document, now_ms

KIND = "workspaces"
DEFAULT_ID = "0"
#: documented delay between DELETING and gone (seconds, scaled by config.speed)
DELETE_SECONDS = 2.0

CODES = Codes(missing="ModelArts.0107", wrong_type="ModelArts.0107", invalid="ModelArts.0107")
_ID = re.compile(r"0|[0-9a-f]{32}")
_NAME = r"[A-Za-z0-9\u4e00-\u9fa5_-]{4,64}"
_AUTH_TYPES = ("PUBLIC", "PRIVATE", "INTERNAL")

_COMMON_RULES = (
    Rule("description", max_length=256),
    Rule("auth_type", choices=_AUTH_TYPES, ignore_case=True),
    Rule("grants", list),
    Rule("grants[]", dict),
    Rule("grants[].user_id"),
    Rule("grants[].user_name"),
)
CREATE_RULES = (
    Rule(
        "name",
        required=True,
        pattern=_NAME,
        pattern_hint="4 to 64 letters, Chinese characters, digits, hyphens or underscores",
    ),
    Rule("enterprise_project_id"),
    *_COMMON_RULES,
)
MODIFY_RULES = (
    Rule(
        "name",
        pattern=_NAME,
        pattern_hint="4 to 64 letters, Chinese characters, digits, hyphens or underscores",
    ),
    *_COMMON_RULES,
)
QUOTA_RULES = (
    Rule("quotas", list, required=True),
    Rule("quotas[]", dict),
    Rule("quotas[].resource", required=True),
    Rule("quotas[].quota", int, required=True),
)

#: 004 §8.6 quota items: resource -> definition (quota is the initial value)
QUOTA_DEFINITIONS: dict[str, dict[str, Any]] = {
    "exemlProject.gpu_duration": {
        "name_en": "ExeML training duration (image classification, object detection, and sound"
        " classification)",
        "name_cn": "ExeML training duration (image classification, object detection, and sound"
        " classification)",
        "min_quota": -1,
        "max_quota": 60000,
        "unit_en": "minute",
        "unit_cn": "Minutes",
        "quota": -1,
    },
    "notebook.gpu_duration": {
        "name_en": "Notebook GPU duration",
        "name_cn": "Notebook GPU duration",
        "min_quota": -1,
        "max_quota": 600000,
        "unit_en": "minute",
        "unit_cn": "Minutes",
        "quota": -1,
    },
    "trainJob.gpu_duration": {
        "name_en": "Training job GPU duration",
        "name_cn": "Training job GPU duration",
        "min_quota": -1,
        "max_quota": 600000,
        "unit_en": "minute",
        "unit_cn": "Minutes",
        "quota": -1,
    },
}


def _default_workspace(ctx: EmulatorContext) -> Document:
    return {
        "id": DEFAULT_ID,
        "name": "default",
        "description": "",
        "owner": ctx.config.iam_user,
        "create_time": 1460000010000,
        "update_time": 1460000010000,
        "enterprise_project_id": "0",
        "enterprise_project_name": "default",
        "auth_type": "PUBLIC",
        "status": "NORMAL",
        "grants": [],
        "quotas": {},
    }


def _purge_deleted(ctx: EmulatorContext) -> None:
    due = now_ms() - int(ctx.config.scaled(DELETE_SECONDS) * 1000)
    for doc in ctx.store.list(KIND):
        if doc["status"] == "DELETING" and doc["delete_time"] <= due:
            ctx.store.delete(KIND, doc["id"])


def _all(ctx: EmulatorContext) -> list[Document]:
    _purge_deleted(ctx)
    return [
        ctx.store.get(KIND, DEFAULT_ID) or _default_workspace(ctx),
        *(doc for doc in ctx.store.list(KIND) if doc["id"] != DEFAULT_ID),
    ]


def find_workspace(ctx: EmulatorContext, workspace_id: str) -> Document | None:
    _purge_deleted(ctx)
    if workspace_id == DEFAULT_ID:
        return ctx.store.get(KIND, DEFAULT_ID) or _default_workspace(ctx)
    return ctx.store.get(KIND, workspace_id)


def require_workspace(ctx: EmulatorContext, workspace_id: str) -> None:
    """Raise the documented error unless resources may be created in ``workspace_id``."""
    if not _ID.fullmatch(workspace_id):
        raise ApiError(400, "ModelArts.0104", f"Invalid workspace ID {workspace_id!r}.")
    workspace = find_workspace(ctx, workspace_id)
    if workspace is None:
        raise ApiError(404, "ModelArts.7005", f"workspace: {workspace_id} not exist.")
    if workspace["status"] != "NORMAL":
        raise ApiError(
            409,
            "ModelArts.7004",
            f"Cannot create resources in workspace {workspace_id} in status {workspace['status']}.",
        )


def _grants(body: dict[str, Any]) -> list[dict[str, str]]:
    grants = []
    for index, grant in enumerate(body.get("grants") or []):
        if not grant.get("user_id") and not grant.get("user_name"):
            raise ApiError(
                400,
                CODES.invalid,
                f"Invalid parameter grants[{index}]: user_id or user_name is required",
            )
        grants.append({key: grant[key] for key in ("user_id", "user_name") if grant.get(key)})
    return grants


def _public(doc: Document, *, with_grants: bool) -> Document:
    shown = {key: value for key, value in doc.items() if key not in ("quotas", "delete_time")}
    if not with_grants:
        shown.pop("grants", None)
    return shown


class _WorkspaceHandler(EmulatorHandler):
    family = Family.WORKSPACE
    validation_code = CODES.invalid

    def _existing(self, workspace_id: str) -> Document:
        workspace = find_workspace(self.ctx, workspace_id)
        if workspace is None or workspace["status"] == "DELETING":
            raise ApiError(404, "ModelArts.7005", f"workspace: {workspace_id} not exist.")
        return workspace

    def _check_name(self, name: str, own_id: str | None = None) -> None:
        if name == "default":
            raise self.invalid("Invalid parameter name: default is reserved")
        for other in _all(self.ctx):
            if other["name"] == name and other["id"] != own_id and other["status"] != "DELETING":
                raise ApiError(409, "ModelArts.0103", f"Workspace name {name} already exists.")


class WorkspacesHandler(_WorkspaceHandler):
    def post(self, project_id: str) -> None:
        body = self.json_body()
        check(body, CREATE_RULES, CODES)
        self._check_name(body["name"])
        now = now_ms()
        enterprise_project_id = body.get("enterprise_project_id") or "0"
        doc = {
            "id": uuid.uuid4().hex,
            "name": body["name"],
            "description": body.get("description", ""),
            "owner": self.caller.user_name or self.ctx.config.iam_user,
            "create_time": now,
            "update_time": now,
            "enterprise_project_id": enterprise_project_id,
            "enterprise_project_name": "default"
            if enterprise_project_id == "0"
            else enterprise_project_id,
            "auth_type": body.get("auth_type", "PUBLIC").upper(),
            "status": "NORMAL",
            "grants": _grants(body),
            "quotas": {},
        }
        self.store.put(KIND, doc["id"], doc, name=doc["name"])
        self.send_json(_public(doc, with_grants=True))

    def get(self, project_id: str) -> None:
        args = {
            name: self.get_query_argument(name, None)
            for name in (
                "offset",
                "limit",
                "sort_by",
                "order",
                "enterprise_project_id",
                "name",
                "filter_accessible",
            )
        }
        offset = query_int(args["offset"], "offset", CODES, default=0, minimum=0)
        limit = query_int(args["limit"], "limit", CODES, default=1000, minimum=1, maximum=1000)
        sort_by = query_choice(
            args["sort_by"], "sort_by", CODES, ("name", "update_time", "status"), default="name"
        )
        order = query_choice(args["order"], "order", CODES, ("asc", "desc"), default="desc")
        query_choice(
            args["filter_accessible"],
            "filter_accessible",
            CODES,
            ("true", "false"),
            default="false",
        )
        found = _all(self.ctx)
        if args["enterprise_project_id"]:
            found = [
                doc
                for doc in found
                if doc["enterprise_project_id"] == args["enterprise_project_id"]
            ]
        if args["name"]:
            found = [doc for doc in found if args["name"].lower() in doc["name"].lower()]
        found.sort(key=lambda doc: doc[sort_by or "name"], reverse=order == "desc")
        # 004 §8.2 offset: "Start page of the paging list." (the SDK's ListWorkspaceRequest
        # says the same): a page index, as MD-2 and SV-2 read their identical wording.
        page = found[offset * limit : (offset + 1) * limit]
        self.send_json(
            {
                "total_count": len(found),
                "count": len(page),
                "workspaces": [_public(doc, with_grants=False) for doc in page],
            }
        )


class WorkspaceHandler(_WorkspaceHandler):
    def get(self, project_id: str, workspace_id: str) -> None:
        self.send_json(_public(self._existing(workspace_id), with_grants=True))

    def put(self, project_id: str, workspace_id: str) -> None:
        workspace = self._existing(workspace_id)
        body = self.json_body()
        check(body, MODIFY_RULES, CODES)
        if "name" in body and body["name"] != workspace["name"]:
            if workspace_id == DEFAULT_ID:
                raise self.invalid(
                    "Invalid parameter name: the default workspace cannot be renamed"
                )
            self._check_name(body["name"], workspace_id)
            workspace["name"] = body["name"]
        if "description" in body:
            workspace["description"] = body["description"]
        if "auth_type" in body:
            workspace["auth_type"] = body["auth_type"].upper()
        if "grants" in body:
            workspace["grants"] = _grants(body)
        workspace["update_time"] = now_ms()
        self.store.put(KIND, workspace_id, workspace, name=workspace["name"])
        self.send_json({"workspace_id": workspace_id})

    def delete(self, project_id: str, workspace_id: str) -> None:
        workspace = self._existing(workspace_id)
        if workspace_id == DEFAULT_ID:
            raise ApiError(400, "ModelArts.0105", "The default workspace cannot be deleted.")
        workspace.update(status="DELETING", delete_time=now_ms(), update_time=now_ms())
        self.store.put(KIND, workspace_id, workspace, name=workspace["name"])
        self.send_json({"workspace_id": workspace_id})


def _quota_items(workspace: Document, resources: list[str], *, with_used: bool) -> list[Document]:
    items = []
    for resource in resources:
        definition = QUOTA_DEFINITIONS[resource]
        stored = workspace["quotas"].get(resource, {})
        quota = stored.get("quota", definition["quota"])
        item = {
            "name_en": definition["name_en"],
            "name_cn": definition["name_cn"],
            "resource": resource,
            "quota": quota,
            "min_quota": definition["min_quota"],
            "max_quota": definition["max_quota"],
            "unit_en": definition["unit_en"],
            "unit_cn": definition["unit_cn"],
            "update_time": stored.get("update_time", workspace["create_time"]),
        }
        if with_used:
            # nothing local is metered by time, so nothing is used; -1 means unlimited: null
            item["used_quota"] = None if quota == -1 else 0
        items.append(item)
    return items


class QuotasHandler(_WorkspaceHandler):
    def _workspace(self, workspace_id: str) -> Document:
        if not _ID.fullmatch(workspace_id):
            raise ApiError(400, "ModelArts.0104", f"Invalid workspace ID {workspace_id!r}.")
        return self._existing(workspace_id)

    def get(self, project_id: str, workspace_id: str) -> None:
        workspace = self._workspace(workspace_id)
        self.send_json({"quotas": _quota_items(workspace, list(QUOTA_DEFINITIONS), with_used=True)})

    def put(self, project_id: str, workspace_id: str) -> None:
        workspace = self._workspace(workspace_id)
        body = self.json_body()
        check(body, QUOTA_RULES, CODES)
        changes: dict[str, int] = {}
        for index, item in enumerate(body["quotas"]):
            where = f"quotas[{index}]"
            definition = QUOTA_DEFINITIONS.get(item["resource"])
            if definition is None:
                raise self.invalid(
                    f"Invalid parameter {where}.resource: unknown resource "
                    f"{item['resource']}; see GET .../quotas"
                )
            quota = item["quota"]
            if quota != -1 and not (
                quota > 0 and definition["min_quota"] <= quota <= definition["max_quota"]
            ):
                raise self.invalid(
                    f"Invalid parameter {where}.quota: must be -1 or a positive integer between "
                    f"{definition['min_quota']} and {definition['max_quota']}"
                )
            changes[item["resource"]] = quota
        now = now_ms()
        for resource, quota in changes.items():
            workspace["quotas"][resource] = {"quota": quota, "update_time": now}
        self.store.put(KIND, workspace_id, workspace, name=workspace["name"])
        self.send_json({"quotas": _quota_items(workspace, list(changes), with_used=False)})


_V1 = r"/v1/(?P<project_id>[^/]+)/workspaces"
ROUTES = [
    (_V1, WorkspacesHandler),
    (_V1 + r"/(?P<workspace_id>[^/]+)/quotas", QuotasHandler),
    (_V1 + r"/(?P<workspace_id>[^/]+)", WorkspaceHandler),
]
