"""Account subcommands: status, profiles, workspaces, long operations."""

from __future__ import annotations

import argparse
from typing import Any

from ..api import Api
from ..errors import MagicError
from ..parsing import MagicArgumentParser
from ..render import Column, Listing, Record, timestamp
from .base import Context, Subcommand, wait_for_operation

# -- account ---------------------------------------------------------------------------------

STATUS_FIELDS = [
    Column("Profile", "profile"),
    Column("Account", "account"),
    Column("Backend", "profile_backend"),
    Column("Cloud", "cloud"),
    Column("Region", "region"),
    Column("Training API", "training_api"),
    Column("Project", "project_id"),
    Column("Workspace", "workspace_id"),
    Column("Endpoint", "endpoint"),
    Column("Credentials from", "credentials.source"),
    Column("Key", "credentials.key_id"),
    Column("Connection", "connection.state"),
    Column("Connection message", "connection.message"),
    Column("Requests go through", "via"),
]


def status(context: Context, _: argparse.Namespace) -> Record:
    answer = context.api.call("GET", "status")
    return Record({**answer, "via": context.api.where}, STATUS_FIELDS, title="ModelArts status")


PROFILE_COLUMNS = [
    Column("Active", "active", lambda active: "*" if active else ""),
    Column("Name", "name"),
    Column("Backend", "backend"),
    Column("Cloud", "cloud"),
    Column("Region", "region"),
    Column("Training API", "training_api"),
    Column("Workspace", "workspace_id"),
    Column("Credentials from", "credentials.source"),
    Column("Key", "credentials.key_id"),
    Column("Managed", "managed"),
]


def _profile_arguments(parser: MagicArgumentParser) -> None:
    parser.add_argument("name", nargs="?", help="make this profile the active one")


def profile(context: Context, args: argparse.Namespace) -> Listing:
    if args.name:
        context.api.call("POST", f"profiles/{args.name}/activate")
    answer = context.api.call("GET", "profiles")
    return Listing(answer["profiles"], PROFILE_COLUMNS, title="Profiles")


def profile_names(api: Api) -> list[str]:
    return [p["name"] for p in api.call("GET", "profiles")["profiles"]]


WORKSPACE_COLUMNS = [
    Column("ID", "id"),
    Column("Name", "name"),
    Column("Status", "status"),
    Column("Owner", "owner"),
    Column("Auth", "auth_type"),
    Column("Created", "create_time", timestamp),
]


def _workspace_arguments(parser: MagicArgumentParser) -> None:
    parser.add_argument("--use", metavar="ID", help="create new resources in this workspace")


def workspaces(context: Context, args: argparse.Namespace) -> Listing:
    if args.use:
        active = context.api.call("GET", "status")["profile"]
        context.api.call("PUT", f"profiles/{active}/workspace", body={"workspace_id": args.use})
    answer = context.api.call("GET", "workspaces")
    return Listing(answer.get("workspaces", []), WORKSPACE_COLUMNS, title="Workspaces")


def workspace_ids(api: Api) -> list[str]:
    return [w["id"] for w in api.call("GET", "workspaces").get("workspaces", [])]


# Update and delete answer with the id alone ({"workspace_id": ...}).
WORKSPACE_FIELDS = [
    *WORKSPACE_COLUMNS,
    Column("Description", "description"),
    Column("Workspace ID", "workspace_id"),
]
QUOTA_COLUMNS = [
    Column("Resource", "resource"),
    Column("Quota", "quota"),
    Column("Name", "name_en"),
    Column("Unit", "unit_en"),
]


def _workspace_action_arguments(parser: MagicArgumentParser) -> None:
    parser.add_argument(
        "action",
        choices=("show", "create", "update", "delete", "quotas", "set-quota"),
        help="what to do",
    )
    parser.add_argument("workspace", help="the new name (create), else the workspace id")
    parser.add_argument("--name", help="update: the new name")
    parser.add_argument("--desc", help="create, update: the description")
    parser.add_argument("--resource", help="set-quota: the quota's resource")
    parser.add_argument("--quota", type=int, help="set-quota: the new value (-1: unlimited)")


def workspace(context: Context, args: argparse.Namespace) -> Record | Listing:
    api = context.api
    described = {"description": args.desc} if args.desc is not None else {}
    if args.action == "create":
        created = api.call("POST", "workspaces", body={"name": args.workspace, **described})
        return Record(created, WORKSPACE_FIELDS, title=f"Created {args.workspace}")
    path = f"workspaces/{args.workspace}"
    if args.action in ("quotas", "set-quota"):
        if args.action == "set-quota":
            if not args.resource or args.quota is None:
                raise MagicError("USAGE", "set-quota needs --resource and --quota", field="quota")
            quota = {"resource": args.resource, "quota": args.quota}
            answer = api.call("PUT", f"{path}/quotas", body={"quotas": [quota]})
        else:
            answer = api.call("GET", f"{path}/quotas")
        return Listing(answer.get("quotas", []), QUOTA_COLUMNS, title=f"Quotas of {args.workspace}")
    if args.action == "update":
        renamed = {"name": args.name} if args.name else {}
        answer = api.call("PUT", path, body={**renamed, **described})
    elif args.action == "delete":
        answer = api.call("DELETE", path)
    else:
        answer = api.call("GET", path)
    return Record(answer, WORKSPACE_FIELDS, title=f"Workspace {args.workspace}")


# -- long operations -------------------------------------------------------------------------

OPERATION_COLUMNS = [
    Column("ID", "id"),
    Column("Kind", "kind"),
    Column("Title", "title"),
    Column("State", "state"),
    Column("Profile", "profile"),
    Column("Error", "error.message"),
    Column("Started", "created_at", timestamp),
]


def _operations_arguments(parser: MagicArgumentParser) -> None:
    parser.add_argument("--kind", help="only operations of this kind (e.g. deploy)")


def operations(context: Context, args: argparse.Namespace) -> Listing:
    params = {"kind": args.kind} if args.kind else None
    answer = context.api.call("GET", "operations", params=params)
    return Listing(answer["operations"], OPERATION_COLUMNS, title="Operations")


def _wait_arguments(parser: MagicArgumentParser) -> None:
    parser.add_argument("operation_id", metavar="OPERATION", help="id of a long operation")


def wait(context: Context, args: argparse.Namespace) -> dict[str, Any]:
    return wait_for_operation(context.api, args.operation_id)


def operation_ids(api: Api) -> list[str]:
    return [o["id"] for o in api.call("GET", "operations")["operations"]]


ACCOUNT = [
    Subcommand("status", "Where requests go and whether the account answers.", status),
    Subcommand(
        "profile",
        "List the profiles, or switch to another.",
        profile,
        _profile_arguments,
        {0: profile_names},
    ),
    Subcommand(
        "workspaces",
        "List the workspaces, or pick the one new resources go to.",
        workspaces,
        _workspace_arguments,
        {"--use": workspace_ids},
    ),
    Subcommand(
        "workspace",
        "A workspace: show|create|update|delete|quotas|set-quota ID (create: NAME).",
        workspace,
        _workspace_action_arguments,
        {1: workspace_ids},
    ),
    Subcommand(
        "operations",
        "Long operations (uploads, imports, deployments) of this server.",
        operations,
        _operations_arguments,
    ),
    Subcommand(
        "wait",
        "Follow a long operation until it ends.",
        wait,
        _wait_arguments,
        {0: operation_ids},
    ),
]
