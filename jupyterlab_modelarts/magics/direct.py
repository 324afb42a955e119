"""The magics without a Jupyter server (plain IPython, ``jupyter console``).

This process runs a Jupyter server application of its own with only this extension, configured
from the same Jupyter config files as a real server would be, on a background event loop: the
same accounts, credential chain, operations layer and Local ModelArts, and the extension's own
REST handlers (``handlers.routes()``, the one declaration of the routes). The magics call it as
they call a real server (:class:`.rest.RestApi`), on a loopback port with a token only this
process knows, so every route a server answers is answered here, by the same code.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import secrets
import socket
import threading
from collections.abc import Awaitable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .discovery import ServerInfo
from .rest import RestApi

if TYPE_CHECKING:
    from jupyter_server.serverapp import ServerApp

T = TypeVar("T")
#: How long stopping the in-process server (and Local ModelArts' jobs with it) may take.
STOP_TIMEOUT_SECONDS = 30.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class DirectApi(RestApi):
    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="modelarts-magics", daemon=True
        )
        self._thread.start()
        # Without a server, paths are confined to the folder the magics were first used in.
        self._serverapp, server = self._run(_serve(Path.cwd()))
        super().__init__(server)
        self.where = "this process (no Jupyter server found)"
        # Local ModelArts' jobs and services are processes of this one: stop them with it.
        atexit.register(self.close)

    def _run(self, coroutine: Awaitable[T]) -> T:
        return asyncio.run_coroutine_threadsafe(_awaited(coroutine), self._loop).result()

    def close(self) -> None:
        atexit.unregister(self.close)
        super().close()
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(_stop(self._serverapp), self._loop).result(
                STOP_TIMEOUT_SECONDS
            )
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)


async def _awaited(awaitable: Awaitable[T]) -> T:
    return await awaitable


async def _serve(root_dir: Path) -> tuple[ServerApp, ServerInfo]:
    """A Jupyter server application with this extension only, listening on 127.0.0.1."""
    from jupyter_server.serverapp import ServerApp

    from ..extension import ModelArtsExtension

    token = secrets.token_urlsafe(32)
    port = _free_port()
    # Not ServerApp.instance(): the kernel's IPKernelApp is this process's application.
    serverapp = ServerApp(jpserver_extensions={ModelArtsExtension.get_extension_package(): True})
    # Signal handlers belong to the main thread (the kernel's); this runs in the loop's thread.
    serverapp.init_signal = lambda: None  # type: ignore[method-assign]
    serverapp.initialize(
        argv=[
            f"--ServerApp.root_dir={root_dir}",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            "--ServerApp.open_browser=False",
            f"--IdentityProvider.token={token}",
            "--ServerApp.log_level=WARN",
            f"--{ModelArtsExtension.__name__}.log_level=WARN",
        ],
        starter_extension=ModelArtsExtension.name,
        find_extensions=False,
    )
    await serverapp.extension_manager.start_all_extensions()
    url = f"http://127.0.0.1:{port}{serverapp.base_url}"
    return serverapp, ServerInfo(url=url, token=token, root_dir=str(root_dir))


async def _stop(serverapp: ServerApp) -> None:
    if serverapp.http_server is not None:
        serverapp.http_server.stop()
    await serverapp.cleanup_extensions()
