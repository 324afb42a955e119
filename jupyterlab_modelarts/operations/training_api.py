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


#: What only one training API generation offers, by the key the front end words it from:
#: what it is and the alternative on the other generation.
ONE_GENERATION_ONLY = {
    "new_version": ("New versions of a job", "train a new job from the file instead"),
    "new_version_launch": ("New versions of a job", "train a new job under another name"),
    "configs": ("Training job configurations", "fill in the dialog's fields"),
    "configs_save": ("Training job configurations", "leave the configuration name empty"),
    "log_offsets": ("Logs by byte offset", "read the log by lines"),
    "all_task_logs": ("Every task's log in one view", "pick one task"),
    "visualization_jobs": (
        "TensorBoard visualization jobs",
        "open the job's output folder in TensorBoard from a notebook instead",
    ),
    "built_in_algorithms": ("Built-in algorithms", "train your own code from a file"),
    "events": ("A job's events", "its log tells how it went"),
    "metrics": ("A job's resource metrics", "its version details show its resource use"),
}


def not_offered(feature: str, field: str | None = None) -> OperationError:
    """What only the v1 training API offers (a key of :data:`ONE_GENERATION_ONLY`), refused
    in words with the alternative."""
    what, alternative = ONE_GENERATION_ONLY[feature]
    return OperationError(
        "NOT_OFFERED",
        f"{what}: part of the old training API (v1), which this account does not train "
        f"through (it uses v2); {alternative}",
        status=409,
        field=field,
        params={"reason": "v1_only", "feature": feature},
    )


def require_v1(accounts: Accounts, feature: str) -> None:
    """Refuse before sending anything what only the v1 training API offers."""
    if effective_training_api(accounts) != "v1":
        raise not_offered(feature)


def only_in_v2(feature: str) -> OperationError:
    """What only the current training API (v2) offers, refused in words on a v1 account."""
    what, alternative = ONE_GENERATION_ONLY[feature]
    return OperationError(
        "NOT_OFFERED",
        f"{what}: part of the current training API (v2), which this account does not train "
        f"through (it uses v1); {alternative}",
        status=409,
        params={"reason": "v2_only", "feature": feature},
    )
