"""Notebook instances (DevEnviron, Notebooks, PAI DSW): list, create, start, stop, delete, open."""

from __future__ import annotations

import argparse
import html
from typing import Any

from ..api import Api
from ..errors import MagicError
from ..parsing import MagicArgumentParser
from ..render import Column, Listing, Record, timestamp
from .base import Context, Subcommand

#: Actions that take an instance and answer with it.
ACTIONS = ("start", "stop", "restart")
HOUR_MS = 3_600_000


def _auto_stop(auto_stop: Any) -> str:
    if not isinstance(auto_stop, dict) or not auto_stop.get("enabled"):
        return ""
    stop_at = auto_stop.get("stop_at")
    return (
        f"at {timestamp(stop_at)}" if stop_at else f"after {auto_stop['duration_ms'] / HOUR_MS:g} h"
    )


INSTANCE_COLUMNS = [
    Column("Name", "name"),
    Column("API", "api"),
    Column("Status", "status"),
    Column("Flavor", "flavor"),
    Column("Image", "image"),
    Column("Auto stop", "auto_stop", _auto_stop),
    Column("Created", "created_at", timestamp),
    Column("URL", "url"),
    Column("ID", "id"),
]


class InstanceLink(Record):
    """A running instance's address, as a link that opens it in a new browser tab."""

    def _repr_html_(self) -> str:
        url = html.escape(str(self.get("url") or ""))
        name = html.escape(str(self.get("name") or ""))
        return f"<a href='{url}' target='_blank' rel='noopener'>Open {name}</a>"


def _instances(api: Api) -> list[dict[str, Any]]:
    return list(api.call("GET", "instances")["items"])


def instance_names(api: Api) -> list[str]:
    return [str(item["name"]) for item in _instances(api)]


def _find(api: Api, wanted: str) -> dict[str, Any]:
    for item in _instances(api):
        if wanted in (item.get("name"), item.get("id"), item.get("key")):
            return item
    raise MagicError("NOT_FOUND", f"no notebook instance {wanted!r}", field="name")


def _notebooks_arguments(parser: MagicArgumentParser) -> None:
    parser.add_argument(
        "action",
        nargs="?",
        default="list",
        choices=("list", "create", "update", *ACTIONS, "delete", "open"),
        help="what to do (default list)",
    )
    parser.add_argument("name", nargs="?", help="instance name or id (all actions but list)")
    parser.add_argument("--api", choices=("notebooks", "devenv", "pai"), help="create: which API")
    parser.add_argument("--flavor", help="create: flavor (default: the first not sold out)")
    parser.add_argument("--image", help="create: image or profile (default: the first)")
    parser.add_argument(
        "--auto-stop", type=float, metavar="HOURS", help="create, update: stop after"
    )
    parser.add_argument("--desc", help="create, update: description")


def _create_request(api_name: str, args: argparse.Namespace, options: dict[str, Any]) -> Any:
    """The chosen API's own create body, with the form's defaults for what was not given."""
    flavors = [f for f in options.get("flavors", []) if not f.get("sold_out")]
    flavor = args.flavor or (flavors[0]["id"] if flavors else None)
    images = options.get("images") or []
    image = args.image or (images[0]["id"] if images else None)
    if api_name == "pai":
        return {"InstanceName": args.name, "EcsSpec": flavor}
    hours = args.auto_stop
    if api_name == "devenv":
        auto_stop = {"enable": hours is not None, "duration": int((hours or 1) * 3600)}
        return {
            "name": args.name,
            "description": args.desc or "",
            "profile_id": image,
            "flavor": flavor,
            "spec": {"storage": {"type": "evs"}, "auto_stop": auto_stop},
        }
    request = {
        "name": args.name,
        "description": args.desc or "",
        "flavor": flavor,
        "image_id": image,
        "volume": {"category": "EVS", "ownership": "MANAGED", "capacity": 5},
    }
    if hours is not None:
        request["duration"] = int(hours * HOUR_MS)
    return request


def _update_request(api_name: str, args: argparse.Namespace) -> dict[str, Any]:
    """The API's own update body (DE-4 for devenv) for the description and auto stop given."""
    if api_name == "pai":
        raise MagicError("USAGE", "PAI DSW instances are not updated from here", field="api")
    changes: dict[str, Any] = {} if args.desc is None else {"description": args.desc}
    if args.auto_stop is not None:
        if api_name == "devenv":
            duration = int(args.auto_stop * 3600)
            changes["spec"] = {"auto_stop": {"enable": True, "duration": duration}}
        else:
            changes["lease"] = {"duration": int(args.auto_stop * HOUR_MS)}
    if not changes:
        raise MagicError("USAGE", "update needs --desc or --auto-stop", field="desc")
    return changes


def notebooks(context: Context, args: argparse.Namespace) -> Listing | Record | None:
    api = context.api
    if args.action == "list":
        return Listing(_instances(api), INSTANCE_COLUMNS, title="Notebook instances")
    if not args.name:
        raise MagicError("USAGE", f"notebooks {args.action} needs an instance name", field="name")
    if args.action == "create":
        api_name = args.api or api.call("GET", "instances")["apis"][0]
        options = api.call("GET", f"instances/{api_name}/options")
        body = {"api": api_name, "request": _create_request(api_name, args, options)}
        created = api.call("POST", "instances", body=body)
        return Record(created, INSTANCE_COLUMNS, title=f"Created {args.name}")
    found = _find(api, args.name)
    path = f"instances/{found['api']}/{found['id']}"
    if args.action == "delete":
        api.call("DELETE", path)
        print(f"deleted {found['name']}")
        return None
    if args.action == "update":
        updated = api.call("PATCH", path, body=_update_request(found["api"], args))
        return Record(updated, INSTANCE_COLUMNS, title=f"Updated {found['name']}")
    if args.action == "open":
        if not found.get("url"):
            raise MagicError("NOT_RUNNING", f"{found['name']} is {found['status']}: start it first")
        return InstanceLink(found, INSTANCE_COLUMNS, title=found["name"])
    acted = api.call("POST", f"{path}/{args.action}")
    return Record(acted, INSTANCE_COLUMNS, title=f"{args.action.capitalize()} {found['name']}")


NOTEBOOKS = [
    Subcommand(
        "notebooks",
        "Notebook instances: list, create NAME, update|start|stop|restart|delete|open NAME.",
        notebooks,
        _notebooks_arguments,
        {1: instance_names},
    ),
]
