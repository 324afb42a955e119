"""Long operations (upload + create, import + deploy, ...) that outlive the browser tab.

An operation is a list of named steps run by the server. Its record (steps, progress, result or
error, and the non-secret inputs needed to run it again) is kept in a JSON file, published on the
event bus as it changes, and listed by the REST API. A server that stops while an operation runs
finds it ``interrupted`` on restart; the flow that owns it can run it again from its inputs, and
its steps are written to skip work already done (uploads resume, creates reconcile by name).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from ..cloud.errors import CloudError
from ..events import EventBus
from ..private_paths import write_private_json
from .errors import OperationError
from .messages import Message

StepState = Literal["pending", "running", "succeeded", "failed", "skipped"]
OperationState = Literal["running", "succeeded", "failed", "cancelled", "interrupted"]
#: Progress events of one operation are published at most this often (seconds).
PROGRESS_EVERY = 0.25


class Step(BaseModel):
    """``name`` is the step's code, which the browser words; ``title`` and ``message`` are the
    English of the step and of its ``message_code`` and ``message_params``."""

    name: str
    title: str
    state: StepState = "pending"
    progress: float | None = None
    message: str | None = None
    message_code: str | None = None
    message_params: dict[str, Any] | None = None

    def say(self, message: Message) -> None:
        self.message = message.english
        self.message_code, self.message_params = message.code, message.params


class OperationRecord(BaseModel):
    id: str
    kind: str
    title: str
    title_code: str | None = None
    title_params: dict[str, Any] = Field(default_factory=dict)
    profile: str
    state: OperationState = "running"
    steps: list[Step]
    params: dict[str, Any] = Field(default_factory=dict)
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    created_at: float = Field(default_factory=time.time)
    updated_at: float = Field(default_factory=time.time)


class StepHandle:
    def __init__(self, progress: OperationProgress, step: Step) -> None:
        self._progress = progress
        self.step = step

    def update(self, fraction: float | None = None, message: Message | None = None) -> None:
        if fraction is not None:
            self.step.progress = max(0.0, min(1.0, fraction))
        if message is not None:
            self.step.say(message)
        self._progress.changed(throttle=True)


class OperationProgress:
    """What a running operation's workflow reports through."""

    def __init__(self, operations: Operations, record: OperationRecord) -> None:
        self._operations = operations
        self.record = record
        self._published_at = 0.0

    @contextlib.asynccontextmanager
    async def step(self, name: str) -> AsyncIterator[StepHandle]:
        step = next(s for s in self.record.steps if s.name == name)
        step.state = "running"
        self.changed()
        try:
            yield StepHandle(self, step)
        except BaseException:
            step.state = "failed"
            self.changed()
            raise
        step.state = "succeeded"
        step.progress = 1.0
        self.changed()

    def skip(self, name: str, message: Message) -> None:
        step = next(s for s in self.record.steps if s.name == name)
        step.state = "skipped"
        step.say(message)
        self.changed()

    def changed(self, throttle: bool = False) -> None:
        now = time.monotonic()
        if throttle and now - self._published_at < PROGRESS_EVERY:
            return
        self._published_at = now
        self._operations.save(self.record)


Workflow = Callable[[OperationProgress], Awaitable[dict[str, Any]]]


class Operations:
    def __init__(self, bus: EventBus, path: Path) -> None:
        self._bus = bus
        self._path = path
        self._records: dict[str, OperationRecord] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._load()

    def _load(self) -> None:
        try:
            stored = json.loads(self._path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            stored = []
        for raw in stored:
            record = OperationRecord.model_validate(raw)
            if record.state == "running":
                record.state = "interrupted"
                record.error = {
                    "code": "INTERRUPTED",
                    "message": "the server stopped while this operation ran; run it again "
                    "to continue where it stopped",
                }
            self._records[record.id] = record

    def save(self, record: OperationRecord) -> None:
        record.updated_at = time.time()
        self._records[record.id] = record
        write_private_json(self._path, [r.model_dump(mode="json") for r in self._records.values()])
        self._bus.publish("operation", record.model_dump(mode="json"))

    def records(self, kind: str | None = None) -> list[OperationRecord]:
        records = [r for r in self._records.values() if kind is None or r.kind == kind]
        return sorted(records, key=lambda r: r.created_at, reverse=True)

    def get(self, operation_id: str) -> OperationRecord:
        try:
            return self._records[operation_id]
        except KeyError:
            raise OperationError(
                "NO_SUCH_OPERATION",
                f"no operation {operation_id!r}",
                status=404,
                field="id",
                params={"id": operation_id},
            ) from None

    def start(
        self,
        *,
        kind: str,
        title: Message,
        profile: str,
        steps: list[tuple[str, str]],
        params: dict[str, Any],
        workflow: Workflow,
        operation_id: str | None = None,
    ) -> OperationRecord:
        """Run ``workflow`` in the background; ``operation_id`` re-runs an earlier record."""
        if operation_id and operation_id in self._tasks:
            raise OperationError(
                "ALREADY_RUNNING", "this operation is already running", status=409, field="id"
            )
        record = OperationRecord(
            id=operation_id or uuid.uuid4().hex,
            kind=kind,
            title=title.english,
            title_code=title.code,
            title_params=title.params,
            profile=profile,
            steps=[Step(name=name, title=step_title) for name, step_title in steps],
            params=params,
        )
        self.save(record)
        progress = OperationProgress(self, record)
        task = asyncio.ensure_future(self._run(progress, workflow))
        self._tasks[record.id] = task
        task.add_done_callback(lambda _: self._tasks.pop(record.id, None))
        return record

    async def _run(self, progress: OperationProgress, workflow: Workflow) -> None:
        record = progress.record
        try:
            record.result = await workflow(progress)
            record.state = "succeeded"
        except asyncio.CancelledError:
            record.state = "cancelled"
            record.error = {"code": "CANCELLED", "message": "cancelled by the user"}
        except OperationError as error:
            record.state, record.error = "failed", error.to_dict()
        except CloudError as error:
            record.state, record.error = "failed", OperationError.from_cloud(error).to_dict()
        except Exception as error:  # a bug: recorded so the user is told, and logged
            record.state = "failed"
            record.error = {"code": "INTERNAL", "message": f"{type(error).__name__}: {error}"}
            raise
        finally:
            self.save(record)

    async def cancel(self, operation_id: str) -> OperationRecord:
        record = self.get(operation_id)
        task = self._tasks.get(operation_id)
        if task is None:
            raise OperationError(
                "NOT_RUNNING", "the operation is not running", status=409, field="id"
            )
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        return record

    async def wait(self, operation_id: str) -> OperationRecord:
        """The record once the operation has ended (tests, magics)."""
        task = self._tasks.get(operation_id)
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.shield(task)
        return self.get(operation_id)

    async def close(self) -> None:
        for task in list(self._tasks.values()):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
