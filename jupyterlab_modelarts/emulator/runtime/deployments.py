"""The inference servers of one real-time service: `instance_count` servers per model, and
requests split between the models by their traffic `weight`."""

from __future__ import annotations

import itertools
import random
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .inference import InferenceServer, ServerPhase, ServerUpdate
from .model_package import ModelPackage


@dataclass(frozen=True)
class ModelSlot:
    """One entry of a service's `config`."""

    model_id: str
    package: ModelPackage
    weight: int
    instance_count: int
    envs: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DeploymentState:
    """`status` is the service status (`deploying`, `running`, `concerning`, `failed`);
    `models` maps each model id to its SV-3 status (`notReady`, `concerning`, `ready`)."""

    status: str
    models: dict[str, str]
    #: Why instances failed, one line per failed instance.
    reasons: list[str]
    #: marker -> pid of every started instance (to kill orphans after a restart).
    pids: dict[str, int]


class Deployment:
    """Starts, watches and stops the servers of one service. `on_change` is called from worker
    threads whenever an instance changes phase."""

    def __init__(
        self,
        service_id: str,
        slots: list[ModelSlot],
        *,
        python: str,
        obs_root: Path,
        work_dir: Path,
        on_change: Callable[[DeploymentState], None],
    ) -> None:
        self.service_id = service_id
        self.slots = slots
        self._on_change = on_change
        self._lock = threading.Lock()
        # Serialises start() and stop(): a deployment stopped before it started never starts.
        self._lifecycle = threading.Lock()
        self._stopped = False
        self._servers: dict[str, list[InferenceServer]] = {
            slot.model_id: [
                InferenceServer(
                    slot.package,
                    marker=f"service:{service_id}:{slot.model_id}:{index}",
                    python=python,
                    obs_root=obs_root,
                    work_dir=work_dir / slot.model_id / str(index),
                    on_update=self._changed,
                    environment=slot.envs,
                )
                for index in range(slot.instance_count)
            ]
            for slot in slots
        }
        self._turns = {
            model_id: itertools.cycle(servers) for model_id, servers in self._servers.items()
        }

    def start(self) -> None:
        with self._lifecycle:
            if self._stopped:
                return
            for server in self._all():
                server.start()

    def stop(self) -> None:
        """Stop every server; blocks until their process groups are gone."""
        with self._lifecycle:
            with self._lock:
                self._stopped = True
            threads = [threading.Thread(target=s.stop, daemon=True) for s in self._all()]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

    def wait_settled(self, timeout: float) -> DeploymentState:
        """Block until no server is starting any more (or `timeout` passed)."""
        for server in self._all():
            server.wait_ready(timeout)
        return self.state()

    def pick(self) -> tuple[str, str, dict[str, str]] | None:
        """(model id, url, the headers it needs) of a ready instance, the model drawn by weight;
        None if none is ready."""
        candidates = [
            slot
            for slot in self.slots
            if any(s.last_update.phase is ServerPhase.READY for s in self._servers[slot.model_id])
        ]
        if not candidates:
            return None
        # Traffic split, not security: a plain PRNG is right here.
        slot = random.choices(candidates, weights=[max(s.weight, 1) for s in candidates])[0]  # noqa: S311
        with self._lock:
            for _ in range(slot.instance_count):
                server = next(self._turns[slot.model_id])
                if server.last_update.phase is ServerPhase.READY and server.url:
                    return slot.model_id, server.url, server.headers
        return None

    def pids(self, model_id: str) -> list[int]:
        return [
            s.pid
            for s in self._servers[model_id]
            if s.pid and s.last_update.phase is ServerPhase.READY
        ]

    def state(self) -> DeploymentState:
        models: dict[str, str] = {}
        reasons: list[str] = []
        phases = []
        for model_id, servers in self._servers.items():
            ready = sum(s.last_update.phase is ServerPhase.READY for s in servers)
            models[model_id] = (
                "ready" if ready == len(servers) else "concerning" if ready else "notReady"
            )
            for server in servers:
                phases.append(server.last_update.phase)
                if server.last_update.phase is ServerPhase.FAILED:
                    reasons.append(server.last_update.reason)
        if any(p is ServerPhase.STARTING for p in phases):
            status = "deploying"
        elif all(p is ServerPhase.READY for p in phases):
            status = "running"
        elif any(p is ServerPhase.READY for p in phases):
            status = "concerning"
        else:
            status = "failed"
        pids = {s.marker: s.pid for s in self._all() if s.pid}
        return DeploymentState(status, models, reasons, pids)

    def _all(self) -> Iterator[InferenceServer]:
        for servers in self._servers.values():
            yield from servers

    def _changed(self, update: ServerUpdate) -> None:
        with self._lock:
            if self._stopped:
                return
        self._on_change(self.state())
