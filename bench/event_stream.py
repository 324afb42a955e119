"""A client of the extension's Server-Sent Events stream, as a browser tab would hold it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx

EVENTS_PATH = "/modelarts/api/v1/events"
#: Yielded once the server has subscribed the stream (its ": connected" comment).
CONNECTED = "connected"


def parse_frame(frame: str) -> tuple[str, Any] | None:
    """(event type, decoded data) of one frame (the text between two blank lines); (CONNECTED,
    None) for the server's greeting; None for a frame with neither (a keepalive)."""
    event_type, data = "message", []
    for line in frame.splitlines():
        if line == ": connected":
            return CONNECTED, None
        if line.startswith("event:"):
            event_type = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())
    return (event_type, json.loads("\n".join(data))) if data else None


class FrameSplitter:
    """The whole frames of a stream's text, chunk by chunk as it arrives."""

    def __init__(self) -> None:
        self._rest = ""

    def feed(self, chunk: str) -> list[str]:
        *whole, self._rest = (self._rest + chunk).split("\n\n")
        return whole


async def events(client: httpx.AsyncClient) -> AsyncIterator[tuple[str, Any]]:
    """(event type, decoded data) for each event; (CONNECTED, None) first."""
    async with client.stream("GET", EVENTS_PATH, timeout=None) as response:
        response.raise_for_status()
        splitter = FrameSplitter()
        async for chunk in response.aiter_text():
            for frame in splitter.feed(chunk):
                if (event := parse_frame(frame)) is not None:
                    yield event
