"""Counts the requests Local ModelArts receives on one route, through its own admin endpoint:
a latency fault of zero seconds matching the route, whose remaining ``times`` count down with
every match. ``counter.count()`` is how many requests matched since ``install()``."""

from __future__ import annotations

import httpx

_TIMES = 10**9


class RequestCounter:
    def __init__(self, base_url: str, admin_key: str, route: str, method: str = "GET") -> None:
        self._client = httpx.Client(
            base_url=base_url, headers={"X-Admin-Key": admin_key}, trust_env=False
        )
        self._spec = {
            "route": route,
            "methods": [method],
            "kind": "latency",
            "delay_seconds": 0,
            "times": _TIMES,
        }
        self._id = ""

    def install(self) -> RequestCounter:
        response = self._client.post("/_admin/faults", json=self._spec)
        response.raise_for_status()
        self._id = response.json()["id"]
        return self

    def count(self) -> int:
        response = self._client.get("/_admin/faults")
        response.raise_for_status()
        for fault in response.json()["faults"]:
            if fault["id"] == self._id:
                return _TIMES - int(fault["times"])
        raise RuntimeError("the counting fault is gone")

    def close(self) -> None:
        self._client.delete(f"/_admin/faults/{self._id}")
        self._client.close()
