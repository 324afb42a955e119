"""Where the magics send their requests: the kernel's Jupyter server, or this process."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, Protocol

from .rest import Event


class Api(Protocol):
    #: Where requests go, for people ("Jupyter server http://...", "this process").
    where: str
    #: The folder paths sent to the server are relative to.
    root_dir: str

    def call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: dict[str, Any] | None = None,
    ) -> Any:
        """Answer of ``<method> modelarts/api/v1/<path>``; failures raise ``MagicError``."""

    def events(self) -> contextlib.AbstractContextManager[Iterator[Event]]:
        """The event stream, subscribed when the context is entered."""

    def close(self) -> None: ...


def connect() -> Api:
    """The running Jupyter server of this kernel when there is one, else this process."""
    from .discovery import find_server

    server = find_server()
    if server is not None:
        from .rest import RestApi

        return RestApi(server)
    from .direct import DirectApi

    return DirectApi()
