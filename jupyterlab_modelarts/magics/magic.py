"""``%modelarts`` and ``%%modelarts``: parse, run a subcommand, report errors in one line."""

from __future__ import annotations

import sys
from typing import Any

from IPython.core.magic import Magics, line_cell_magic, magics_class

from .api import Api, connect
from .commands import SUBCOMMANDS, Completer, Context
from .errors import MagicError
from .parsing import HelpShown, split_command_line
from .render import text_table
from .rest import RECONNECT_CODES

BY_NAME = {subcommand.name: subcommand for subcommand in SUBCOMMANDS}


def overview() -> str:
    rows = [[s.name, s.summary] for s in SUBCOMMANDS]
    return (
        "Usage: %modelarts SUBCOMMAND [options]   (%modelarts SUBCOMMAND --help for its options;"
        " --debug shows tracebacks)\n\n" + text_table(["subcommand", "what it does"], rows)
    )


@magics_class
class ModelArtsMagics(Magics):
    _api: Api | None = None

    def api(self) -> Api:
        """Found on first use: the kernel's Jupyter server, or this process."""
        if self._api is None:
            self._api = connect()
        return self._api

    @line_cell_magic
    def modelarts(self, line: str, cell: str | None = None) -> Any:
        """ModelArts from a notebook cell: %modelarts help lists the subcommands."""
        debug = "--debug" in line.split()
        try:
            command = split_command_line(line)
            if command.name in ("help", "-h", "--help"):
                print(overview())
                return None
            subcommand = BY_NAME.get(command.name)
            if subcommand is None:
                raise MagicError(
                    "USAGE", f"no subcommand {command.name!r}; %modelarts help lists them"
                )
            if cell is not None and not subcommand.takes_cell:
                raise MagicError(
                    "USAGE", f"%%modelarts {subcommand.name} takes no cell: use %modelarts"
                )
            args = subcommand.parser().parse_args(command.arguments)
            return subcommand.run(Context(self.api(), cell, command.passthrough), args)
        except HelpShown:
            return None
        except KeyboardInterrupt:
            print("modelarts: interrupted", file=sys.stderr)
            return None
        except MagicError as error:
            if debug:
                raise
            if error.code in RECONNECT_CODES:
                self._forget_api()
            print(f"modelarts: {error}", file=sys.stderr)
            return None

    def _forget_api(self) -> None:
        """A server that stopped answering may have restarted with another token: look again."""
        if self._api is not None:
            self._api.close()
            self._api = None

    # -- completion ---------------------------------------------------------------------------

    def complete(self, event: Any) -> list[str]:
        """Completions of the word at the cursor. IPython replaces only its last token, which
        stops at characters such as '-' and '.': what precedes that token is cut off."""
        words = event.text_until_cursor.split()
        typed = "" if event.text_until_cursor.endswith((" ", "\t")) else words[-1]
        cut = len(typed) - len(event.symbol)
        return [match[cut:] for match in self._candidates(event) if match.startswith(typed)]

    def _candidates(self, event: Any) -> list[str]:
        words = event.text_until_cursor.split()
        if event.text_until_cursor.endswith((" ", "\t")):
            words.append("")
        # words[0] is "%modelarts" or "%%modelarts"; then the subcommand, then its arguments.
        if len(words) <= 2:
            return sorted(s.name for s in SUBCOMMANDS)
        subcommand = BY_NAME.get(words[1])
        if subcommand is None:
            return []
        parser = subcommand.parser()
        if words[-1].startswith("-"):
            return sorted(o for a in parser._actions for o in a.option_strings if o[:2] == "--")
        takes_value = {o for a in parser._actions if a.nargs != 0 for o in a.option_strings}
        if words[-2] in takes_value:
            return self._values(subcommand.completers.get(words[-2]))
        position = _positional_index(words[2:-1], takes_value)
        positionals = [a for a in parser._actions if not a.option_strings]
        choices = positionals[position].choices if position < len(positionals) else None
        if choices:
            return sorted(str(choice) for choice in choices)
        return self._values(subcommand.completers.get(position))

    def _values(self, completer: Completer | None) -> list[str]:
        if completer is None:
            return []
        try:
            return sorted(completer(self.api()))
        except MagicError:
            return []


def _positional_index(words: list[str], takes_value: set[str]) -> int:
    """How many positional arguments ``words`` (what precedes the cursor) hold."""
    count, skip_next = 0, False
    for word in words:
        if skip_next:
            skip_next = False
        elif word.startswith("-"):
            skip_next = word in takes_value
        else:
            count += 1
    return count
