"""What training leaves to come back to: saved training configurations (TC-2 to TC-5; TC-1 is
``train --save-config``) and visualization (TensorBoard) jobs over an output folder (VJ-1 to
VJ-7)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..api import Api
from ..errors import MagicError
from ..parsing import MagicArgumentParser
from ..render import Column, Listing, Record, timestamp
from .base import Context, Subcommand

CONFIG_COLUMNS = [
    Column("Name", "config_name"),
    Column("Description", "config_desc"),
    Column("Engine", "engine_version"),
    Column("Created", "create_time", timestamp),
]
CONFIG_FIELDS = [
    *CONFIG_COLUMNS,
    Column("Spec ID", "spec_id"),
    Column("Workers", "worker_server_num"),
    Column("Code", "app_url"),
    Column("Boot file", "boot_file_url"),
    Column("Data", "data_url"),
    Column("Output", "train_url"),
    Column(
        "Parameters",
        "parameters",
        lambda rows: " ".join(f"--{row['label']}={row['value']}" for row in rows or []),
    ),
]
BOARD_COLUMNS = [
    Column("Name", "job_name"),
    Column("ID", "job_id"),
    Column("Status", "status_name"),
    Column("Output", "train_url"),
    Column("Address", "service_url"),
    Column("Description", "job_desc"),
]


def config_names(api: Api) -> list[str]:
    return [str(c["config_name"]) for c in api.call("GET", "training/configs")["configs"]]


def configs(context: Context, _: argparse.Namespace) -> Listing:
    listed = context.api.call("GET", "training/configs")["configs"]
    return Listing(listed, CONFIG_COLUMNS, title="Training configurations")


def _config_argument(parser: MagicArgumentParser) -> None:
    parser.add_argument("name", help="configuration name")


def config(context: Context, args: argparse.Namespace) -> Record:
    found = context.api.call("GET", f"training/configs/{args.name}")
    return Record(found, CONFIG_FIELDS, title=f"Configuration {args.name}")


def update_config(context: Context, args: argparse.Namespace) -> Record:
    """``%%modelarts update-config NAME``: the cell is the whole new configuration (TC-3's
    body, JSON)."""
    if not (context.cell or "").strip():
        raise MagicError("USAGE", "%%modelarts update-config NAME: the cell is the JSON body")
    try:
        body = json.loads(context.cell or "")
    except ValueError as error:
        raise MagicError("INVALID", f"the cell is not JSON: {error}", field="cell") from None
    updated = context.api.call("PUT", f"training/configs/{args.name}", body=body)
    return Record(updated, CONFIG_FIELDS, title=f"Configuration {args.name}")


def delete_config(context: Context, args: argparse.Namespace) -> None:
    context.api.call("DELETE", f"training/configs/{args.name}")
    print(f"deleted configuration {args.name}")


def _boards(api: Api) -> list[dict[str, Any]]:
    return list(api.call("GET", "training/visualization-jobs")["jobs"])


def board_names(api: Api) -> list[str]:
    return [str(b["job_name"]) for b in _boards(api)]


def _find_board(api: Api, wanted: str) -> dict[str, Any]:
    for board in _boards(api):
        if wanted in (str(board.get("job_name")), str(board.get("job_id"))):
            return board
    raise MagicError("NOT_FOUND", f"no visualization job {wanted!r}", field="name")


def boards(context: Context, _: argparse.Namespace) -> Listing:
    return Listing(_boards(context.api), BOARD_COLUMNS, title="Visualization jobs")


def _board_arguments(parser: MagicArgumentParser) -> None:
    parser.add_argument(
        "action",
        choices=("show", "create", "describe", "stop", "restart", "delete"),
        help="what to do",
    )
    parser.add_argument("name", help="visualization job name (or id)")
    parser.add_argument(
        "value", nargs="?", help="create: the OBS output folder; describe: the description"
    )


def board(context: Context, args: argparse.Namespace) -> Record | None:
    api = context.api
    if args.action == "create":
        if not args.value:
            raise MagicError("USAGE", "create needs the OBS output folder", field="value")
        created = api.call(
            "POST",
            "training/visualization-jobs",
            body={"job_name": args.name, "train_url": args.value},
        )
        return Record(created, BOARD_COLUMNS, title=f"Created {args.name}")
    found = _find_board(api, args.name)
    path = f"training/visualization-jobs/{found['job_id']}"
    if args.action == "show":
        return Record(api.call("GET", path), BOARD_COLUMNS, title=str(found["job_name"]))
    if args.action == "describe":
        described = api.call("PUT", path, body={"job_desc": args.value or ""})
        return Record(described, BOARD_COLUMNS, title=f"Described {found['job_name']}")
    if args.action == "delete":
        api.call("DELETE", path)
        print(f"deleted {found['job_name']}")
        return None
    acted = api.call("POST", f"{path}/{args.action}")
    return Record(acted, BOARD_COLUMNS, title=f"{args.action.capitalize()} {found['job_name']}")


SAVED = [
    Subcommand("configs", "List the saved training configurations.", configs),
    Subcommand(
        "config", "A saved training configuration.", config, _config_argument, {0: config_names}
    ),
    Subcommand(
        "update-config",
        "Replace a saved training configuration with the cell's JSON.",
        update_config,
        _config_argument,
        {0: config_names},
        takes_cell=True,
    ),
    Subcommand(
        "delete-config",
        "Delete a saved training configuration.",
        delete_config,
        _config_argument,
        {0: config_names},
    ),
    Subcommand("boards", "List the visualization (TensorBoard) jobs.", boards),
    Subcommand(
        "board",
        "A visualization job: show|create|describe|stop|restart|delete NAME [VALUE].",
        board,
        _board_arguments,
        {1: board_names},
    ),
]
