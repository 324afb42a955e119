"""Which training API generation an account trains through, and the one place where the
training operations are dispatched on it: ``for_account(accounts)`` is the module (training.py
for v1, training_v2.py for v2) whose functions the handlers and magics call."""

from __future__ import annotations

import importlib
from types import ModuleType

from ..cloud.clouds import TrainingApi
from .accounts import Accounts
from .errors import OperationError


def effective_training_api(accounts: Accounts) -> TrainingApi:
    """The active profile's generation: its own setting or what sign-in found, else its
    cloud's default (cloud/clouds.py)."""
    return accounts.training_api(accounts.active())


def for_account(accounts: Accounts) -> ModuleType:
    """The training operations of the active profile's generation; refused in words, before
    anything is sent, when the profile's cloud does not offer that generation."""
    profile = accounts.active()
    generation = accounts.training_api(profile)
    accounts.require(profile, f"training.{generation}")
    name = "training_v2" if generation == "v2" else "training"
    return importlib.import_module(f"{__package__}.{name}")


def not_offered(what: str, alternative: str, field: str | None = None) -> OperationError:
    """What only the v1 training API offers, refused in words with the alternative."""
    return OperationError(
        "NOT_OFFERED",
        f"{what}: part of the old training API (v1), which this account does not train "
        f"through (it uses v2); {alternative}",
        status=409,
        field=field,
    )


def require_v1(accounts: Accounts, what: str, alternative: str) -> None:
    """Refuse before sending anything what only the v1 training API offers."""
    if effective_training_api(accounts) != "v1":
        raise not_offered(what, alternative)
