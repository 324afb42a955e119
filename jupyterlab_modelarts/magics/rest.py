"""The magics' way to the Jupyter server that runs the kernel: its REST API, with its token.

The cloud credentials stay in the server; the kernel only holds the server's Jupyter token.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from typing import Any

import httpx

from .discovery import ServerInfo
from .errors import MagicError

API_PATH = "modelarts/api/v1/"
#: Generous: some calls wait for the cloud (a connection check, a create reconciled by name).
TIMEOUT = httpx.Timeout(60.0, connect=5.0)
#: The event stream sends a keepalive every 15 s; a minute of silence means it is gone.
STREAM_TIMEOUT = httpx.Timeout(60.0, connect=5.0)

Event = tuple[str, dict[str, Any]]
#: Errors after which the server is looked for again: it may have stopped, or restarted with
#: another token.
RECONNECT_CODES = frozenset({"SERVER_UNREACHABLE", "NOT_AUTHORIZED"})


class RestApi:
    """Calls ``<server>/modelarts/api/v1/...``; every failure becomes a :class:`MagicError`."""

    def __init__(self, server: ServerInfo) -> None:
        self.server = server
        self.where = f"Jupyter server {server.url}"
        self.root_dir = server.root_dir or os.getcwd()
        self._http = httpx.Client(
            base_url=server.url + API_PATH,
            headers={"Authorization": f"token {server.token}"},
            timeout=TIMEOUT,
            # The server is this kernel's own: a proxy configured for the cloud must not apply.
            trust_env=False,
        )

    def call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: dict[str, Any] | None = None,
    ) -> Any:
        try:
            answer = self._http.request(method, path, params=params, json=body)
        except httpx.HTTPError as error:
            raise MagicError(
                "SERVER_UNREACHABLE",
                f"the Jupyter server at {self.server.url} did not answer: {error}",
            ) from None
        if answer.status_code == 204:
            return None
        try:
            payload = answer.json()
        except ValueError:
            payload = None
        if answer.is_success:
            return payload
        raise self._error(answer.status_code, payload, f"{method} {path}")

    def _error(self, status: int, payload: Any, request: str) -> MagicError:
        error = MagicError.from_body(status, payload)
        if error.code != "HTTP_ERROR":
            return error  # the extension's own answer
        if status in (401, 403):
            return MagicError(
                "NOT_AUTHORIZED",
                f"the Jupyter server at {self.server.url} refused this kernel's token "
                "(did it restart?): run the magic again to look for it anew",
            )
        if status == 404:
            return MagicError(
                "NOT_AVAILABLE",
                f"the Jupyter server has no route {request}: is jupyterlab_modelarts enabled "
                "there, and as recent as this kernel's?",
            )
        return error

    @contextlib.contextmanager
    def events(self) -> Iterator[Iterator[Event]]:
        """The server's event stream, subscribed on entry: nothing published after it is lost."""
        try:
            with self._http.stream("GET", "events", timeout=STREAM_TIMEOUT) as answer:
                if not answer.is_success:
                    answer.read()
                    raise self._error(answer.status_code, _json_or_none(answer), "GET events")
                lines = answer.iter_lines()
                # The server subscribes before it sends its first block (": connected").
                for line in lines:
                    if not line:
                        break
                yield _server_sent_events(lines)
        except httpx.HTTPError as error:
            raise MagicError(
                "SERVER_UNREACHABLE", f"the event stream of {self.server.url} broke: {error}"
            ) from None

    def close(self) -> None:
        self._http.close()


def _json_or_none(answer: httpx.Response) -> Any:
    try:
        return answer.json()
    except ValueError:
        return None


def _server_sent_events(lines: Iterator[str]) -> Iterator[Event]:
    kind, data = "message", ""
    for line in lines:
        if not line:
            if data:
                yield kind, json.loads(data)
            kind, data = "message", ""
        elif line.startswith("event:"):
            kind = line[len("event:") :].strip()
        elif line.startswith("data:"):
            data += line[len("data:") :].strip()
