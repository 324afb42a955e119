"""The subcommands of ``%modelarts``: one table, each entry its arguments, its call and how its
result is shown."""

from __future__ import annotations

from .account import ACCOUNT
from .base import Completer, Context, Subcommand
from .deploy import DEPLOY
from .notebooks import NOTEBOOKS
from .saved import SAVED
from .training import TRAINING

SUBCOMMANDS: list[Subcommand] = [*ACCOUNT, *NOTEBOOKS, *TRAINING, *SAVED, *DEPLOY]

__all__ = ["SUBCOMMANDS", "Completer", "Context", "Subcommand"]
