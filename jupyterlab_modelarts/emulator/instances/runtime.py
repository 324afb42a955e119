"""What runs behind a notebook / dev-environment / DSW instance while the API says it is running.

A runtime launches one server per instance key (its own folder, its own token), reports whether it
answers yet, and halts it. Two runtimes exist: :class:`SimulatedRuntime` (nothing is spawned;
the URL points at a small page served by Local ModelArts itself, for fast tests) and
``jupyter.JupyterServerRuntime`` (a real local Jupyter server per instance).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import quote


class Health(enum.Enum):
    STARTING = "starting"
    READY = "ready"
    DEAD = "dead"


@dataclass(frozen=True)
class Endpoint:
    """Where a launched instance answers: ``url`` opens it in a browser with ``token``."""

    url: str
    token: str


@dataclass(frozen=True)
class Probe:
    health: Health
    #: Why the server is dead (last lines of its log), empty otherwise.
    reason: str = ""


class InstanceRuntime(Protocol):
    """Launches and halts the servers behind instances. Every call returns promptly."""

    def launch(self, key: str, folder: Path, token: str, state_dir: Path) -> Endpoint:
        """Serve ``folder`` (the user's files) with ``token``; the server's own files (its
        Jupyter runtime, config and log) go to ``state_dir``, never into ``folder``'s storage."""
        ...

    def probe(self, key: str) -> Probe:
        """STARTING until the server answers, READY after, DEAD (with a reason) if it went away,
        including when this runtime never launched ``key`` (e.g. before an emulator restart)."""
        ...

    def halt(self, key: str) -> None:
        """Start stopping the server of ``key``; a no-op when there is none."""
        ...

    def stopped(self, key: str) -> bool:
        """Whether the server of ``key`` is gone (after :meth:`halt`, or never launched)."""
        ...

    def close(self) -> None:
        """Halt every server (emulator shutdown)."""
        ...


#: Path prefix under which Local ModelArts answers for simulated instances.
SIMULATED_PREFIX = "/_local/instances"


class SimulatedRuntime:
    """No process: an instance is "up" as soon as it is launched, and its URL is a page of Local
    ModelArts itself (the path ``SIMULATED_PREFIX/<key>/lab?token=...``, made absolute with the
    host the API client called), so a client that opens the URL gets an answer. Like a real
    server, a simulated one does not outlive the emulator: after a restart its key is unknown
    and :meth:`probe` reports it dead."""

    def __init__(self) -> None:
        self._tokens: dict[str, str] = {}

    def launch(self, key: str, folder: Path, token: str, state_dir: Path) -> Endpoint:
        folder.mkdir(parents=True, exist_ok=True)
        self._tokens[key] = token
        url = f"{SIMULATED_PREFIX}/{quote(key, safe='')}/lab?token={token}"
        return Endpoint(url=url, token=token)

    def probe(self, key: str) -> Probe:
        if key in self._tokens:
            return Probe(Health.READY)
        return Probe(Health.DEAD, "the instance stopped when Local ModelArts stopped")

    def halt(self, key: str) -> None:
        self._tokens.pop(key, None)

    def stopped(self, key: str) -> bool:
        return key not in self._tokens

    def close(self) -> None:
        self._tokens.clear()

    def token_of(self, key: str) -> str | None:
        """The token a launched simulated instance accepts (None: not running)."""
        return self._tokens.get(key)
