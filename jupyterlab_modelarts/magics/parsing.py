"""Command-line parsing for the magics: argparse that reports instead of exiting."""

from __future__ import annotations

import argparse
import shlex
from dataclasses import dataclass, field

from .errors import MagicError

DEBUG_FLAG = "--debug"


class HelpShown(Exception):
    """``--help`` printed its text; nothing else is to be done."""


class MagicArgumentParser(argparse.ArgumentParser):
    def __init__(self, prog: str, description: str) -> None:
        super().__init__(prog=prog, description=description, allow_abbrev=False)

    def error(self, message: str) -> None:  # type: ignore[override]
        raise MagicError("USAGE", f"{message} (see {self.prog} --help)")

    def exit(self, status: int = 0, message: str | None = None) -> None:  # type: ignore[override]
        raise HelpShown


@dataclass
class CommandLine:
    """``%modelarts NAME ARGS [-- SCRIPT ARGS]``, with ``--debug`` taken out."""

    name: str
    arguments: list[str]
    #: What follows a bare ``--``: passed untouched to a training script.
    passthrough: list[str] = field(default_factory=list)
    debug: bool = False


def split_command_line(line: str) -> CommandLine:
    try:
        words = shlex.split(line)
    except ValueError as error:
        raise MagicError("USAGE", f"cannot parse the line: {error}") from None
    passthrough: list[str] = []
    if "--" in words:
        cut = words.index("--")
        words, passthrough = words[:cut], words[cut + 1 :]
    debug = DEBUG_FLAG in words
    words = [word for word in words if word != DEBUG_FLAG]
    name, *arguments = words or ["help"]
    return CommandLine(name, arguments, passthrough, debug)
