"""One instance shape for the UI, whichever API an instance comes from.

The three APIs name and time things differently (DevEnviron: seconds and ``spec.auto_stop``;
Notebooks: milliseconds and ``lease``; PAI DSW: PascalCase and ISO dates). The UI gets:

``key`` (``<api>/<id>``, unique across APIs), ``api``, ``id``, ``name``, ``description``,
``status`` (as the API says it), ``phase`` (``transitional``, ``running``, ``stopped``,
``failed``), ``flavor``, ``image``, ``created_at`` (ms), ``auto_stop`` (``enabled``,
``duration_ms``, ``stop_at`` ms while running), ``url`` (to open it, while running),
``failure``, ``queue`` (``rank``, ``ends_at`` ms) and ``actions``: for every action of the API,
``null`` when allowed now, else the refusal as an error body (code, params and English message;
the front end words the code).

Every field is stable between polls (a count-down is sent as its end time), so a watcher only
publishes real changes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ..cloud.schemas.devenv import DevEnvInstance
from ..cloud.schemas.notebooks import Notebook
from ..cloud.schemas.pai import PaiInstance
from .errors import OperationError

Api = Literal["devenv", "notebooks", "pai"]
APIS: tuple[Api, ...] = ("devenv", "notebooks", "pai")
Item = dict[str, Any]

_TRANSITIONAL: dict[Api, frozenset[str]] = {
    "devenv": frozenset(
        "CREATE_QUEUING CREATING START_QUEUING READY_TO_START STARTING RESTARTING STOPPING "
        "RESIZING".split()
    ),
    "notebooks": frozenset("INIT CREATING STARTING STOPPING DELETING SNAPSHOTTING".split()),
    "pai": frozenset(
        "Creating EnvPreparing Starting Stopping Deleting Updating Saving Queuing Recovering "
        "ResourceAllocating".split()
    ),
}
_RUNNING = {"devenv": "RUNNING", "notebooks": "RUNNING", "pai": "Running"}
_FAILED: dict[Api, frozenset[str]] = {
    "devenv": frozenset({"CREATE_FAILED", "START_FAILED", "UNAVAILABLE", "RESIZE_FAILED"}),
    "notebooks": frozenset({"CREATE_FAILED", "START_FAILED", "DELETE_FAILED", "ERROR", "FROZEN"}),
    "pai": frozenset({"Failed", "SaveFailed"}),
}
#: Statuses each action is accepted from (the documented state machines).
_ACCEPTS: dict[Api, dict[str, frozenset[str]]] = {
    "devenv": {
        "start": frozenset({"STOPPED", "START_FAILED", "UNAVAILABLE"}),
        "stop": frozenset({"RUNNING"}),
        "restart": frozenset({"RUNNING"}),
        "queue": frozenset({"STOPPED", "START_FAILED"}),
        "dequeue": frozenset({"CREATE_QUEUING", "START_QUEUING", "READY_TO_START"}),
    },
    "notebooks": {
        "start": frozenset({"STOPPED", "START_FAILED", "ERROR"}),
        "stop": frozenset({"RUNNING"}),
    },
    "pai": {
        "start": frozenset({"Stopped", "Failed"}),
        "stop": frozenset({"Running", "Failed"}),
    },
}
#: Actions every API has besides its state changes.
EDIT_ACTIONS = ("update", "delete")


def actions_of(api: Api) -> tuple[str, ...]:
    return (*_ACCEPTS[api], *EDIT_ACTIONS)


def is_transitional(item: Item) -> bool:
    return item["phase"] == "transitional"


def _phase(api: Api, status: str) -> str:
    if status in _TRANSITIONAL[api]:
        return "transitional"
    if status == _RUNNING[api]:
        return "running"
    if status in _FAILED[api]:
        return "failed"
    return "stopped"


def _refusal(api: Api, action: str, status: str, *, free_flavor: bool) -> OperationError | None:
    """Why ``action`` cannot be done in ``status`` (None: it can)."""
    if action in ("queue", "dequeue") and not free_flavor:
        return OperationError("FREE_FLAVOR_ONLY", "only instances of a free flavor can queue")
    if status in _TRANSITIONAL[api] and action != "dequeue":
        return OperationError(
            "INSTANCE_SETTLING",
            f"the instance is {status}: wait until it settles",
            params={"status": status},
        )
    if action == "update":
        return None
    if action == "delete":
        if api == "devenv" and status == _RUNNING[api]:
            return OperationError("STOP_FIRST", "a running instance must be stopped first")
        return None
    if status not in _ACCEPTS[api][action]:
        return OperationError(
            "NOT_IN_STATUS",
            f"not possible while the instance is {status}",
            params={"status": status},
        )
    return None


def _actions(
    api: Api, status: str, *, free_flavor: bool = False
) -> dict[str, dict[str, Any] | None]:
    refusals = {
        action: _refusal(api, action, status, free_flavor=free_flavor) for action in actions_of(api)
    }
    return {action: refused.to_dict() if refused else None for action, refused in refusals.items()}


def from_devenv(instance: DevEnvInstance) -> Item:
    status = instance.status or "UNKNOWN"
    spec = instance.spec
    auto_stop = spec.auto_stop if spec else None
    failed = (spec.failed_reasons if spec else None) or {}
    details = instance.flavor_details or {}
    queuing = (instance.model_extra or {}).get("queuing_info") or {}
    profile = instance.profile or {}
    return {
        **_common("devenv", instance.id, instance.name, instance.description, status),
        "flavor": instance.flavor,
        "image": profile.get("name") or profile.get("id"),
        "created_at": instance.creation_timestamp,
        "auto_stop": {
            "enabled": bool(auto_stop.enable),
            "duration_ms": auto_stop.duration * 1000 if auto_stop.duration else None,
            "stop_at": auto_stop.stop_timestamp if status == "RUNNING" else None,
        }
        if auto_stop
        else None,
        "url": instance.url if status == "RUNNING" else None,
        "failure": " ".join(
            str(part) for part in (failed.get("code"), failed.get("message")) if part
        )
        or None,
        "queue": {"rank": queuing.get("rank"), "ends_at": queuing.get("end_timestamp")}
        if queuing
        else None,
        "actions": _actions("devenv", status, free_flavor=details.get("promo_type") == "Free"),
    }


def from_notebook(notebook: Notebook) -> Item:
    status = notebook.status or "UNKNOWN"
    lease = notebook.lease
    stop_at = None
    if lease and lease.enable and lease.duration and status == "RUNNING":
        stop_at = (lease.create_time or notebook.create_at or 0) + lease.duration
    return {
        **_common("notebooks", notebook.id, notebook.name, notebook.description, status),
        "flavor": notebook.flavor,
        "image": notebook.image.name if notebook.image else None,
        "created_at": notebook.create_at,
        "auto_stop": {
            "enabled": bool(lease.enable),
            "duration_ms": lease.duration,
            "stop_at": stop_at,
        }
        if lease
        else None,
        "url": _with_token(notebook.url, notebook.token) if status == "RUNNING" else None,
        "failure": notebook.fail_reason or None,
        "queue": None,
        "actions": _actions("notebooks", status),
    }


def from_pai(instance: PaiInstance) -> Item:
    status = instance.Status or "Unknown"
    failure = " ".join(part for part in (instance.ReasonCode, instance.ReasonMessage) if part)
    return {
        **_common("pai", instance.InstanceId, instance.InstanceName, None, status),
        "flavor": instance.EcsSpec,
        "image": instance.ImageUrl,
        "created_at": _iso_ms(instance.GmtCreateTime),
        "auto_stop": None,
        "url": (instance.JupyterlabUrl or instance.InstanceUrl or None)
        if status == "Running"
        else None,
        "failure": failure or None,
        "queue": None,
        "actions": _actions("pai", status),
    }


def _common(
    api: Api, instance_id: str, name: str | None, description: str | None, status: str
) -> Item:
    return {
        "key": f"{api}/{instance_id}",
        "api": api,
        "id": instance_id,
        "name": name or instance_id,
        "description": description or "",
        "status": status,
        "phase": _phase(api, status),
    }


def _with_token(url: str | None, token: str | None) -> str | None:
    """The new API gives the instance's access token apart from its URL."""
    if not url or not token or "token=" in url:
        return url or None
    return f"{url}{'&' if '?' in url else '?'}token={token}"


def _iso_ms(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1000)
    except ValueError:
        return None
