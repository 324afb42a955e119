"""Fault injection: make chosen routes fail the way a real cloud sometimes does.

A fault matches requests by a regular expression searched in the path (and optionally by
method) and applies to the next ``times`` matching requests (all of them if ``times`` is None).
Kinds:

* ``status``: answer ``status`` with the route family's error body (``code``, ``message``);
* ``latency``: wait ``delay_seconds``, then serve normally;
* ``timeout``: hold the request ``delay_seconds`` (default one hour) before a 504, so clients
  time out first;
* ``drop``: close the connection without any response;
* ``rate_limit``: 429 with ``Retry-After`` and ``X-ratelimit*`` headers (004 §3.3);
* ``token_expiry``: expire every issued IAM token, then serve normally (the request itself,
  if token-authenticated, then gets ModelArts.0202).

Faults come from ``EmulatorConfig.faults`` and from the admin endpoint (admin.py), both as
dicts accepted by :meth:`Fault.from_dict`.
"""

from __future__ import annotations

import re
import threading
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

KINDS = ("status", "latency", "timeout", "drop", "rate_limit", "token_expiry")


class FaultSpecError(ValueError):
    """A fault description with a bad field; ``field`` names it."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name


@dataclass
class Fault:
    route: str
    kind: str
    methods: list[str] | None = None
    status: int = 500
    code: str | None = None
    message: str = "Injected fault."
    delay_seconds: float | None = None
    times: int | None = None
    #: None: no ``Retry-After``, only the ``X-ratelimit*`` headers tell the client to wait.
    retry_after_seconds: int | None = 1
    id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __post_init__(self) -> None:
        self._pattern = re.compile(self.route)

    @classmethod
    def from_dict(cls, spec: dict[str, Any]) -> Fault:
        known = {
            "route",
            "kind",
            "methods",
            "status",
            "code",
            "message",
            "delay_seconds",
            "times",
            "retry_after_seconds",
        }
        unknown = sorted(set(spec) - known)
        if unknown:
            raise FaultSpecError(unknown[0], "unknown field")
        route = spec.get("route")
        if not isinstance(route, str) or not route:
            raise FaultSpecError(
                "route", "a regular expression matched against the path is required"
            )
        try:
            re.compile(route)
        except re.error as exc:
            raise FaultSpecError("route", f"not a regular expression: {exc}") from None
        kind = spec.get("kind")
        if kind not in KINDS:
            raise FaultSpecError("kind", f"must be one of {', '.join(KINDS)}")
        methods = spec.get("methods")
        if methods is not None and (
            not isinstance(methods, list) or not all(isinstance(m, str) for m in methods)
        ):
            raise FaultSpecError("methods", "must be a list of HTTP method names")
        status = spec.get("status", 429 if kind == "rate_limit" else 500)
        if not isinstance(status, int) or not 400 <= status <= 599:
            raise FaultSpecError("status", "must be an integer from 400 to 599")
        delay = spec.get("delay_seconds")
        if delay is not None and (not isinstance(delay, int | float) or delay < 0):
            raise FaultSpecError("delay_seconds", "must be a non-negative number")
        if kind == "latency" and delay is None:
            raise FaultSpecError("delay_seconds", "is required for latency faults")
        times = spec.get("times")
        if times is not None and (not isinstance(times, int) or times < 1):
            raise FaultSpecError("times", "must be a positive integer or null")
        retry_after = spec.get("retry_after_seconds", 1)
        if retry_after is not None and (not isinstance(retry_after, int) or retry_after < 0):
            raise FaultSpecError("retry_after_seconds", "must be a non-negative integer or null")
        return cls(
            route=route,
            kind=kind,
            methods=[m.upper() for m in methods] if methods else None,
            status=status,
            code=spec.get("code"),
            message=str(spec.get("message", "Injected fault.")),
            delay_seconds=float(delay) if delay is not None else None,
            times=times,
            retry_after_seconds=retry_after,
        )

    def matches(self, method: str, path: str) -> bool:
        if self.methods is not None and method.upper() not in self.methods:
            return False
        return self._pattern.search(path) is not None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class FaultTable:
    """The active faults; the first added that matches a request wins."""

    def __init__(self, specs: list[dict[str, Any]] | None = None) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        for spec in specs or []:
            self.add(Fault.from_dict(spec))

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def remove(self, fault_id: str) -> bool:
        with self._lock:
            before = len(self._faults)
            self._faults = [f for f in self._faults if f.id != fault_id]
            return len(self._faults) < before

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def list(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def take(self, method: str, path: str) -> Fault | None:
        """The fault for this request, counting it against the fault's ``times``."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times == 0:
                            self._faults.remove(fault)
                    return fault
        return None
