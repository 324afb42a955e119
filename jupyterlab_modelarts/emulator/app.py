"""Assemble Local ModelArts: the tornado application and a server that runs it.

Resource modules plug in by exposing ``ROUTES``, a list of ``(pattern, handler_class)``, and
optionally ``async def on_start(ctx)`` / ``async def on_stop(ctx)`` (start executors, mark
processes that died with the previous run as failed, stop child processes). A module
that sets ``TRAINING_API`` (``"v1"``, ``"v2"``) answers only when the cloud Local ModelArts
plays serves that generation (``EmulatorConfig.training_apis``); otherwise its paths answer as
the cloud's API gateway answers for an API that is gone. Routes are tried in the order of
:data:`MODULES`; OBS (path-style ``/{bucket}/{key}``) claims whatever is
left, so it comes last.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import inspect
import logging
import shutil
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import tornado.httpserver
import tornado.netutil
import tornado.web

from ..private_paths import private_directory, private_file
from .config import EmulatorConfig
from .context import EmulatorContext
from .faults import FaultTable
from .handler import NotFoundHandler, RetiredApiHandler
from .obs_storage import ObjectStorage
from .store import Store

log = logging.getLogger(__name__)

_PACKAGE = __name__.rpartition(".")[0]

#: Route modules in matching order. A resource module listed here before it is written is
#: skipped (helpers build them in parallel); any other import error is raised.
MODULES: tuple[str, ...] = (
    "instances",
    "iam",
    "admin",
    "workspaces",
    "devenviron",
    "notebooks",
    "training",
    "training_v2",
    "models",
    "services",
    "catalog",
    "pai",
    "obs",
)

#: The modules of this core (IAM, admin, OBS): enough for tests of the core alone.
CORE_MODULES: tuple[str, ...] = ("iam", "admin", "obs")

STATE_FILE = "state.sqlite3"


def load_modules(names: tuple[str, ...] = MODULES) -> list[ModuleType]:
    """The route modules ``names`` (in that order) that exist."""
    modules = []
    for name in names:
        qualified = f"{_PACKAGE}.{name}"
        if importlib.util.find_spec(qualified) is None:
            log.debug("Local ModelArts module %s is not present", qualified)
            continue
        modules.append(importlib.import_module(qualified))
    return modules


def make_context(config: EmulatorConfig, store: Store, data_dir: Path) -> EmulatorContext:
    return EmulatorContext(
        config=config,
        store=store,
        data_dir=data_dir,
        obs=ObjectStorage(data_dir / "obs", store),
        faults=FaultTable(config.faults),
    )


def make_app(
    config: EmulatorConfig,
    store: Store,
    *,
    data_dir: Path | None = None,
    modules: list[ModuleType] | None = None,
) -> tornado.web.Application:
    """The application; its context is ``app.settings["emulator"]``.

    ``data_dir`` defaults to ``config.data_dir``; with neither, a new temporary directory
    (that the caller owns) is used.
    """
    root = data_dir or config.data_dir or Path(tempfile.mkdtemp(prefix="local-modelarts-"))
    ctx = make_context(config, store, Path(root))
    handlers: list[Any] = []
    served = config.training_apis()
    for module in modules if modules is not None else load_modules():
        generation = getattr(module, "TRAINING_API", None)
        retired = generation is not None and generation not in served
        for pattern, handler in getattr(module, "ROUTES", ()):
            handlers.append((pattern, RetiredApiHandler if retired else handler, {"ctx": ctx}))
    return tornado.web.Application(
        handlers,
        default_handler_class=NotFoundHandler,
        default_handler_args={"ctx": ctx},
        emulator=ctx,
        emulator_modules=modules,
        compress_response=False,
    )


class EmulatorServer:
    """One Local ModelArts on ``config.host``/``config.port`` in the current event loop.

    ``async with EmulatorServer(config) as server: ... server.base_url``. Restarting with the
    same ``data_dir`` keeps all state.
    """

    def __init__(
        self, config: EmulatorConfig | None = None, *, modules: list[ModuleType] | None = None
    ) -> None:
        """``modules`` replaces the route modules of :data:`MODULES` (tests, embedding)."""
        self.config = config or EmulatorConfig()
        self._http: tornado.httpserver.HTTPServer | None = None
        self._temp_dir: str | None = None
        self._modules: list[ModuleType] = modules if modules is not None else []
        self._explicit_modules = modules is not None
        self.port: int = 0
        self.ctx: EmulatorContext | None = None

    @property
    def base_url(self) -> str:
        if self._http is None:
            raise RuntimeError("the server is not started")
        host = self.config.host
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    @property
    def store(self) -> Store:
        if self.ctx is None:
            raise RuntimeError("the server is not started")
        return self.ctx.store

    async def start(self) -> None:
        if self.config.data_dir is None:
            self._temp_dir = tempfile.mkdtemp(prefix="local-modelarts-")
            data_dir = Path(self._temp_dir)
        else:
            # Jobs' code and logs, objects and the state with instance tokens: the user's only.
            data_dir = private_directory(self.config.data_dir)
        store = Store(private_file(data_dir / STATE_FILE))
        if not self._explicit_modules:
            # Imported in a worker thread: a host server's event loop keeps answering meanwhile.
            self._modules = await asyncio.to_thread(load_modules)
        app = make_app(self.config, store, data_dir=data_dir, modules=self._modules)
        self.ctx = app.settings["emulator"]
        for module in self._modules:
            await _call_hook(module, "on_start", self.ctx)
        sockets = tornado.netutil.bind_sockets(self.config.port, self.config.host)
        self.port = sockets[0].getsockname()[1]
        self._http = tornado.httpserver.HTTPServer(
            app,
            max_body_size=self.config.max_body_bytes,
            max_buffer_size=self.config.max_body_bytes,
        )
        self._http.add_sockets(sockets)

    async def stop(self) -> None:
        if self._http is not None:
            self._http.stop()
            await self._http.close_all_connections()
            self._http = None
        if self.ctx is not None:
            for module in reversed(self._modules):
                await _call_hook(module, "on_stop", self.ctx)
            self.ctx.store.close()
            self.ctx = None
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
            self._temp_dir = None

    async def __aenter__(self) -> EmulatorServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


async def _call_hook(module: ModuleType, name: str, ctx: EmulatorContext) -> None:
    hook = getattr(module, name, None)
    if hook is None:
        return
    result = hook(ctx)
    if inspect.isawaitable(result):
        await result
