"""What every subcommand shares: its context, its definition, waiting for long operations and
naming files for the server."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..api import Api
from ..errors import MagicError
from ..parsing import MagicArgumentParser
from ..render import Progress


@dataclass
class Context:
    api: Api
    #: The cell's body for ``%%modelarts``, None for the line magic.
    cell: str | None = None
    #: Words after a bare ``--``.
    passthrough: list[str] = field(default_factory=list)


Completer = Callable[[Api], list[str]]


@dataclass(frozen=True)
class Subcommand:
    name: str
    summary: str
    run: Callable[[Context, argparse.Namespace], Any]
    configure: Callable[[MagicArgumentParser], None] = lambda parser: None
    #: Completions of option values by option string, of positional arguments by position.
    completers: dict[str | int, Completer] = field(default_factory=dict)
    #: Whether ``%%modelarts <name>`` uses the cell's body.
    takes_cell: bool = False

    def parser(self) -> MagicArgumentParser:
        parser = MagicArgumentParser(f"%modelarts {self.name}", self.summary)
        self.configure(parser)
        return parser


# -- waiting for long operations ------------------------------------------------------------

TERMINAL_OPERATION_STATES = {"succeeded", "failed", "cancelled", "interrupted"}


def _operation_progress(record: dict[str, Any]) -> tuple[float | None, str]:
    steps = record.get("steps") or []
    if not steps:
        return None, record.get("state", "")
    done = sum(1 for s in steps if s.get("state") in ("succeeded", "skipped"))
    current = next((s for s in steps if s.get("state") == "running"), None)
    if current is None:
        return done / len(steps), record.get("state", "")
    fraction = (done + (current.get("progress") or 0.0)) / len(steps)
    message = current.get("title", "")
    if current.get("message"):
        message += f": {current['message']}"
    return fraction, message


def wait_for_operation(api: Api, operation_id: str) -> dict[str, Any]:
    """Follow a long operation with a progress bar until it ends; its result, or its error.

    An interrupt stops the waiting, not the operation: it goes on in the server."""
    with api.events() as events:
        record = api.call("GET", f"operations/{operation_id}")
        bar = Progress(record.get("title") or record.get("kind", "operation"))
        try:
            while record.get("state") not in TERMINAL_OPERATION_STATES:
                bar.update(*_operation_progress(record))
                for kind, data in events:
                    if kind == "operation" and data.get("id") == operation_id:
                        record = data
                        break
                    if kind == "resync":  # the server dropped events this stream missed
                        record = api.call("GET", f"operations/{operation_id}")
                        break
                else:
                    raise MagicError(
                        "SERVER_UNREACHABLE",
                        f"the event stream ended while {bar.title} ran; it may go on "
                        f"(%modelarts wait {operation_id})",
                    )
        except KeyboardInterrupt:
            bar.update(bar.fraction, "stopped waiting; it goes on (see %modelarts operations)")
            raise
        bar.update(*_operation_progress(record))
    if record.get("state") != "succeeded":
        error = record.get("error") or {}
        raise MagicError(
            str(error.get("code") or record.get("state", "FAILED")).upper(),
            str(error.get("message") or f"the operation {record.get('state')}"),
            field=error.get("field"),
            upstream=error.get("upstream"),
        )
    return dict(record.get("result") or {})


def server_path(api: Api, local: str) -> str:
    """``local`` (relative to the kernel's folder) as the server names it: relative to its root."""
    relative = os.path.relpath(os.path.abspath(local), api.root_dir)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        raise MagicError(
            "OUTSIDE_ROOT",
            f"{local} is outside the Jupyter server's root {api.root_dir}",
            field="path",
        )
    return relative.replace(os.sep, "/")
