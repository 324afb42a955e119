"""Run Local ModelArts in a thread with its own event loop, for synchronous callers
(pytest fixtures, tests driving the official synchronous SDKs, scripts)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from types import ModuleType
from typing import Any, TypeVar

from .app import EmulatorServer
from .config import EmulatorConfig
from .context import EmulatorContext

T = TypeVar("T")


class BackgroundEmulator:
    """``with BackgroundEmulator(config) as emulator: emulator.base_url``."""

    def __init__(
        self, config: EmulatorConfig | None = None, *, modules: list[ModuleType] | None = None
    ) -> None:
        self.server = EmulatorServer(config, modules=modules)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def config(self) -> EmulatorConfig:
        return self.server.config

    @property
    def base_url(self) -> str:
        return self.server.base_url

    @property
    def ctx(self) -> EmulatorContext:
        if self.server.ctx is None:
            raise RuntimeError("the emulator is not running")
        return self.server.ctx

    def start(self) -> BackgroundEmulator:
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self.server.start())
            except BaseException as exc:  # reported to the starting thread
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self.server.stop())
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

        self._thread = threading.Thread(target=run, name="local-modelarts", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            raise failure[0]
        return self

    def run(self, coroutine_function: Callable[..., Awaitable[T]], *args: Any) -> T:
        """Run ``await coroutine_function(*args)`` on the emulator's loop and return its result."""
        if self._loop is None:
            raise RuntimeError("the emulator is not running")
        return asyncio.run_coroutine_threadsafe(
            _call(coroutine_function, *args), self._loop
        ).result()

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
        self._loop = None
        self._thread = None

    def __enter__(self) -> BackgroundEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


async def _call(function: Callable[..., Awaitable[T]], *args: Any) -> T:
    return await function(*args)
