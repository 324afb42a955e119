"""A client of the extension's Server-Sent Events stream, as a browser tab would hold it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx

EVENTS_PATH = "/modelarts/api/v1/events"
#: Yielded once the server has subscribed the stream (its ": connected" comment).
CONNECTED = "connected"


async def events(client: httpx.AsyncClient) -> AsyncIterator[tuple[str, Any]]:
    """(event type, decoded data) for each event; (CONNECTED, None) first."""
    async with client.stream("GET", EVENTS_PATH, timeout=None) as response:
        response.raise_for_status()
        event_type, data = "message", []
        async for line in response.aiter_lines():
            if line == ": connected":
                yield CONNECTED, None
            elif line.startswith("event:"):
                event_type = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
            elif not line and data:
                yield event_type, json.loads("\n".join(data))
                event_type, data = "message", []
