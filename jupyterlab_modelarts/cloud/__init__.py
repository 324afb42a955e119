"""Async clients for every cloud API the extension uses; no Jupyter imports.

::

    from jupyterlab_modelarts.cloud import AccessKey, ModelArts

    async with ModelArts(AccessKey(ak, sk), region="cn-north-4") as ma:
        job = await ma.training.create(job_name="mnist", config={...})
        async for line in ma.training.follow_log(job.job_id, job.version_id):
            print(line)

* :class:`ModelArts` groups the APIs: ``ma.devenv`` (old DevEnviron), ``ma.notebooks``,
  ``ma.training`` (jobs, versions, logs, built-in algorithms), ``ma.training_configs``,
  ``ma.visualization``, ``ma.specs``, ``ma.models``, ``ma.services``, ``ma.workspaces``, and
  ``ma.iam`` (tokens, project lookup). :class:`PaiDsw` covers PAI DSW instances and
  :class:`ObsTransfer` moves files to and from OBS.
* Credentials: :class:`AccessKey` (AK/SK, optionally temporary), :class:`IamPassword`
  (a cached IAM token), :class:`PaiAccessKey`.
* Every failure is a :class:`CloudError` of one family (``AuthError``, ``NotFoundError``,
  ``ConflictError``, ``QuotaError``, ``ValidationError``, ``RateLimitError``, ``ServerError``,
  ``NetworkError``) with ``status``, ``error_code``, ``message``, ``request_id`` and, for
  invalid input found before sending, ``field``.
* ``endpoint=``/``iam_endpoint=`` point the clients at Local ModelArts (one base URL serves
  all its APIs).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .credentials import AccessKey, IamPassword, PaiAccessKey
    from .errors import (
        ApiError,
        AuthError,
        CloudError,
        ConflictError,
        NetworkError,
        NotFoundError,
        QuotaError,
        RateLimitError,
        ServerError,
        TimeoutError,
        ValidationError,
    )
    from .modelarts import ModelArts
    from .obs import ObsTransfer
    from .pai import PaiDsw
    from .policy import CallKind, RetryPolicy, Timeouts
    from .transport import HttpSession
    from .waiters import WaitTimeoutError, wait_until

# Exports are loaded on first use: importing one submodule (the emulator imports only
# ``signing``) must not pay for httpx, pydantic and the OBS SDK.
_EXPORTS = {
    "AccessKey": "credentials",
    "IamPassword": "credentials",
    "PaiAccessKey": "credentials",
    "ApiError": "errors",
    "AuthError": "errors",
    "CloudError": "errors",
    "ConflictError": "errors",
    "NetworkError": "errors",
    "NotFoundError": "errors",
    "QuotaError": "errors",
    "RateLimitError": "errors",
    "ServerError": "errors",
    "TimeoutError": "errors",
    "ValidationError": "errors",
    "ModelArts": "modelarts",
    "ObsTransfer": "obs",
    "PaiDsw": "pai",
    "CallKind": "policy",
    "RetryPolicy": "policy",
    "Timeouts": "policy",
    "HttpSession": "transport",
    "WaitTimeoutError": "waiters",
    "wait_until": "waiters",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)


__all__ = [
    "AccessKey",
    "ApiError",
    "AuthError",
    "CallKind",
    "CloudError",
    "ConflictError",
    "HttpSession",
    "IamPassword",
    "ModelArts",
    "NetworkError",
    "NotFoundError",
    "ObsTransfer",
    "PaiAccessKey",
    "PaiDsw",
    "QuotaError",
    "RateLimitError",
    "RetryPolicy",
    "ServerError",
    "TimeoutError",
    "Timeouts",
    "ValidationError",
    "WaitTimeoutError",
    "wait_until",
]
