"""Status machines of instances (DevEnviron, Notebooks, PAI DSW), advanced on a timer.

Each API family describes its machine as data (:class:`Machine`): which statuses are transient,
how long each lasts (documented seconds, scaled by ``EmulatorConfig.speed``), what happens to the
server behind the instance on entering it, and where it goes next. The :class:`Supervisor` walks
every stored instance on each tick, so the machine survives emulator restarts: the state is all in
the store, and a server that died with the emulator is found dead on the first tick after.

Fields the supervisor owns in an instance document (family modules read them, and write them
only through :meth:`Supervisor.enter`):

``status``         the family's status string
``status_since``   epoch ms of the last change
``effect_done``    whether the current status's effect (launch/halt) already ran
``token``          the instance's access token (fixed at creation)
``root``           the directory the server serves, when it is not the instance's own folder
                   (e.g. a local OBS directory), or None
``url``            where the launched server answers (with the token), or None
``started_at``     epoch ms when the instance last became running
``stop_at``        epoch ms when a running instance stops by itself (auto stop), or None
``auto_stop_seconds``  documented run time per start (None: no auto stop); ``stop_at`` is set
                   from it each time the instance becomes running
``fail_reason``    why the instance failed, or None
"""

from __future__ import annotations

import enum
import logging
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tornado.ioloop import PeriodicCallback

from ..context import EmulatorContext
from ..store import Document, now_ms
from .runtime import Health, InstanceRuntime

log = logging.getLogger(__name__)


class Effect(enum.Enum):
    NONE = "none"
    #: start the server; the step completes only once it answers
    LAUNCH = "launch"
    #: stop and start the server again
    RELAUNCH = "relaunch"
    #: stop the server
    HALT = "halt"


@dataclass(frozen=True)
class Step:
    """A transient status: after ``seconds`` (and, for launches, once the server answers) the
    instance moves to ``to``; ``to=None`` removes the instance (deletion done)."""

    to: str | None
    seconds: float
    effect: Effect = Effect.NONE
    #: status taken when the server dies or never answers during this step
    on_failure: str | None = None


@dataclass(frozen=True)
class Machine:
    #: store kind of the instances
    kind: str
    steps: dict[str, Step]
    running: str
    #: status entered when auto stop is due
    auto_stopping: str
    #: status taken when the server of a running instance goes away
    lost: str
    #: called after every status change, to keep family-specific fields in step
    on_change: Callable[[Document], None] | None = field(default=None, compare=False)


class Supervisor:
    """Advances the instances of every registered machine; one per emulator."""

    def __init__(
        self, ctx: EmulatorContext, runtime: InstanceRuntime, *, tick_seconds: float = 0.1
    ) -> None:
        self.ctx = ctx
        self.runtime = runtime
        self._machines: dict[str, Machine] = {}
        self._ticker = PeriodicCallback(self.tick, tick_seconds * 1000)

    def register(self, machine: Machine) -> None:
        self._machines[machine.kind] = machine

    def start(self) -> None:
        if not self._ticker.is_running():
            self._ticker.start()

    def close(self) -> None:
        self._ticker.stop()
        self.runtime.close()

    def folder(self, kind: str, instance_id: str) -> Path:
        """The instance's own folder (its Jupyter root); kept across stops, removed on delete."""
        return self.ctx.work_dir("instances", kind) / instance_id

    def server_dir(self, kind: str, instance_id: str) -> Path:
        """The files of the instance's server (runtime, config, log), in Local ModelArts' data
        even when the instance's root is on OBS storage, the user's bucket."""
        return self.ctx.work_dir("instances", kind) / f".{instance_id}.server"

    # -- transitions -------------------------------------------------------------------------

    def enter(self, kind: str, doc: Document, status: str) -> Document:
        """Move ``doc`` to ``status`` now and store it (API actions use this)."""
        machine = self._machines[kind]
        now = now_ms()
        doc["status"] = status
        doc["status_since"] = now
        doc["updated_at"] = now
        doc["effect_done"] = False
        if status == machine.running:
            doc["started_at"] = now
            seconds = doc.get("auto_stop_seconds")
            doc["stop_at"] = (
                None if seconds is None else now + int(self.ctx.config.scaled(seconds) * 1000)
            )
        if machine.on_change is not None:
            machine.on_change(doc)
        return self.ctx.store.put(kind, doc["id"], doc, name=doc.get("name"))

    def save(self, kind: str, doc: Document) -> Document:
        """Store a changed instance (API modifications)."""
        doc["updated_at"] = now_ms()
        return self.ctx.store.put(kind, doc["id"], doc, name=doc.get("name"))

    def remove(self, kind: str, doc: Document) -> None:
        """Stop the instance's server and forget the instance and its folder."""
        self.runtime.halt(self._key(self._machines[kind], doc))
        self.ctx.store.delete(kind, doc["id"])
        shutil.rmtree(self.folder(kind, doc["id"]), ignore_errors=True)
        shutil.rmtree(self.server_dir(kind, doc["id"]), ignore_errors=True)

    def tick(self) -> None:
        for machine in self._machines.values():
            for doc in self.ctx.store.list(machine.kind):
                try:
                    self.advance(machine, doc)
                except Exception:  # one broken instance must not stop the others
                    log.exception("advancing %s %s failed", machine.kind, doc.get("id"))

    def advance(self, machine: Machine, doc: Document) -> None:
        # zero-length steps chain within one tick; the bound guards a cyclic machine definition
        for _ in range(len(machine.steps) + 1):
            status = doc["status"]
            if status == machine.running:
                self._watch_running(machine, doc)
                return
            step = machine.steps.get(status)
            if step is None or not self._advance_step(machine, doc, step):
                return

    def _watch_running(self, machine: Machine, doc: Document) -> None:
        probe = self.runtime.probe(self._key(machine, doc))
        if probe.health is Health.DEAD:
            doc["fail_reason"] = probe.reason
            self.enter(machine.kind, doc, machine.lost)
        elif doc.get("stop_at") is not None and now_ms() >= doc["stop_at"]:
            self.enter(machine.kind, doc, machine.auto_stopping)

    def _advance_step(self, machine: Machine, doc: Document, step: Step) -> bool:
        """Run the step's effect once and complete the step when due; True if it completed."""
        key = self._key(machine, doc)
        if not doc.get("effect_done"):
            self._run_effect(machine, doc, step.effect, key)
            doc["effect_done"] = True
            self.ctx.store.put(machine.kind, doc["id"], doc, name=doc.get("name"))
        if step.effect is Effect.HALT and not self.runtime.stopped(key):
            return False
        if step.effect in (Effect.LAUNCH, Effect.RELAUNCH):
            probe = self.runtime.probe(key)
            if probe.health is Health.DEAD:
                doc["fail_reason"] = probe.reason
                self.enter(machine.kind, doc, step.on_failure or machine.lost)
                return False
            if probe.health is Health.STARTING:
                return False
        due = doc["status_since"] + int(self.ctx.config.scaled(step.seconds) * 1000)
        if now_ms() < due:
            return False
        if step.to is None:
            self.remove(machine.kind, doc)
            return False
        self.enter(machine.kind, doc, step.to)
        return True

    def _run_effect(self, machine: Machine, doc: Document, effect: Effect, key: str) -> None:
        if effect in (Effect.HALT, Effect.RELAUNCH):
            self.runtime.halt(key)
        if effect in (Effect.LAUNCH, Effect.RELAUNCH):
            doc["fail_reason"] = None
            root = Path(doc["root"]) if doc.get("root") else self.folder(machine.kind, doc["id"])
            endpoint = self.runtime.launch(
                key, root, doc["token"], self.server_dir(machine.kind, doc["id"])
            )
            doc["url"] = endpoint.url

    @staticmethod
    def _key(machine: Machine, doc: Document) -> str:
        return f"{machine.kind}-{doc['id']}"


def base_fields(instance_id: str, name: str, status: str, **family: Any) -> Document:
    """A new instance document: the supervisor's fields plus the family's."""
    now = now_ms()
    return {
        "id": instance_id,
        "name": name,
        "status": status,
        "status_since": now,
        "effect_done": False,
        "token": secrets.token_hex(24),
        "url": None,
        "root": None,
        "started_at": None,
        "stop_at": None,
        "auto_stop_seconds": None,
        "fail_reason": None,
        "created_at": now,
        "updated_at": now,
        **family,
    }


@dataclass(frozen=True)
class Refusal:
    """The documented error for an action attempted in a status that does not allow it."""

    code: str
    message: str


def check_action(
    status: str,
    allowed: frozenset[str],
    refusals: dict[str, Refusal],
    fallback: Refusal,
) -> Refusal | None:
    """None when ``status`` allows the action, else the refusal for that status."""
    if status in allowed:
        return None
    return refusals.get(status, fallback)
