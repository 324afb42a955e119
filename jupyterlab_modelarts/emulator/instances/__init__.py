"""The servers behind notebook, dev-environment and PAI DSW instances, and their status machines.

Settings (``EmulatorConfig.modules["instances"]``):

``runtime``       ``"jupyter"`` (default): a running instance is a local Jupyter server with its
                  own folder and token; ``"simulated"``: nothing is spawned and the instance URL
                  is a page of Local ModelArts itself (fast tests).
``tick_seconds``  how often status machines advance (default 0.1).

Family modules get the shared :class:`~.lifecycle.Supervisor` with :func:`supervisor` and
register their :class:`~.lifecycle.Machine` on it.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..auth import AuthScheme
from ..context import EmulatorContext
from ..errors import ApiError
from ..handler import EmulatorHandler
from .jupyter import JupyterServerRuntime
from .lifecycle import Effect, Machine, Step, Supervisor, base_fields
from .runtime import SIMULATED_PREFIX, InstanceRuntime, SimulatedRuntime

__all__ = [
    "ROUTES",
    "Effect",
    "Machine",
    "Step",
    "Supervisor",
    "absolute_url",
    "base_fields",
    "on_start",
    "on_stop",
    "owner",
    "supervisor",
]

_SERVICE = "instances"


def _make_runtime(settings: dict[str, Any]) -> InstanceRuntime:
    kind = settings.get("runtime", "jupyter")
    if kind == "jupyter":
        return JupyterServerRuntime()
    if kind == "simulated":
        return SimulatedRuntime()
    raise ValueError(
        f'modules["instances"]["runtime"] must be "jupyter" or "simulated", not {kind!r}'
    )


def supervisor(ctx: EmulatorContext) -> Supervisor:
    """The emulator's one supervisor, created on first use."""
    found = ctx.services.get(_SERVICE)
    if found is None:
        settings = ctx.config.module_settings(_SERVICE)
        found = Supervisor(
            ctx, _make_runtime(settings), tick_seconds=float(settings.get("tick_seconds", 0.1))
        )
        ctx.services[_SERVICE] = found
    return found


async def on_start(ctx: EmulatorContext) -> None:
    supervisor(ctx).start()


async def on_stop(ctx: EmulatorContext) -> None:
    found = ctx.services.pop(_SERVICE, None)
    if found is not None:
        found.close()


def owner(ctx: EmulatorContext) -> dict[str, Any]:
    """The IAM user owning every local instance, with the ids IAM reports in its tokens."""

    def stable_id(*parts: str) -> str:
        # the derivation of iam.py, so that these ids equal the token's
        return hashlib.sha256("/".join(parts).encode()).hexdigest()[:32]

    config = ctx.config
    return {
        "id": stable_id("user", config.iam_domain, config.iam_user),
        "name": config.iam_user,
        "domain": {"id": stable_id("domain", config.iam_domain), "name": config.iam_domain},
    }


def absolute_url(request_base: str, url: str | None) -> str:
    """An instance URL as the client must use it: simulated URLs are paths on this server."""
    if not url:
        return ""
    return request_base + url if url.startswith("/") else url


class SimulatedInstancePage(EmulatorHandler):
    """What the URL of a simulated instance answers: a small page, only with the right token."""

    auth_scheme = AuthScheme.NONE

    def get(self, key: str) -> None:
        runtime = supervisor(self.ctx).runtime
        expected = runtime.token_of(key) if isinstance(runtime, SimulatedRuntime) else None
        if expected is None:
            raise ApiError(404, "ModelArts.6309", "The instance is not running.")
        if self.get_query_argument("token", "") != expected:
            raise ApiError(403, "ModelArts.0108", "The token of the instance is required.")
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(
            "<!doctype html><title>Local ModelArts instance</title>"
            "<p>Simulated notebook instance of Local ModelArts: it is running.</p>"
        )


ROUTES = [(SIMULATED_PREFIX + r"/(?P<key>[^/]+)/lab", SimulatedInstancePage)]
