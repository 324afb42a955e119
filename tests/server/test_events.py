"""The event stream delivers what the server publishes, and replays what a tab missed."""

from __future__ import annotations

import json

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest


class Received(Exception):
    """Ends the endless stream once the test has what it waited for."""


async def read_events(url: str, headers: dict[str, str], count: int) -> list[dict]:
    events: list[dict] = []
    buffer = ""

    def on_chunk(chunk: bytes) -> None:
        nonlocal buffer
        buffer += chunk.decode()
        while "\n\n" in buffer:
            block, buffer = buffer.split("\n\n", 1)
            fields = dict(
                line.split(": ", 1) for line in block.splitlines() if not line.startswith(":")
            )
            if "data" in fields:
                events.append({**fields, "data": json.loads(fields["data"])})
        if len(events) >= count:
            raise Received

    request = HTTPRequest(url, headers=headers, streaming_callback=on_chunk, request_timeout=10)
    try:
        await AsyncHTTPClient().fetch(request)
    except (Received, HTTPClientError):
        pass
    return events


def extension(jp_serverapp):
    return jp_serverapp.extension_manager.extension_points["jupyterlab_modelarts"].app


async def test_published_events_reach_the_stream_and_are_replayed_on_reconnect(
    jp_serverapp, http_server_client, jp_http_port, jp_base_url, jp_auth_header
):
    bus = extension(jp_serverapp).events
    first = bus.publish("operation", {"id": "op-1", "state": "running"})
    bus.publish("operation", {"id": "op-1", "state": "succeeded"})
    url = f"http://localhost:{jp_http_port}{jp_base_url}modelarts/api/v1/events"

    replayed = await read_events(url, {**jp_auth_header, "Last-Event-ID": str(first.id)}, 1)
    assert replayed[0]["event"] == "operation"
    assert replayed[0]["data"] == {"id": "op-1", "state": "succeeded"}
    assert int(replayed[0]["id"]) == first.id + 1


async def test_events_published_together_reach_a_tab_each_whole_and_in_order(
    jp_serverapp, http_server_client, jp_http_port, jp_base_url, jp_auth_header
):
    # One poll publishes all its changes at once; the stream sends them in one write.
    bus = extension(jp_serverapp).events
    published = [
        bus.publish("resource", {"kind": "instances", "id": f"nb-{n}", "item": {"n": n}})
        for n in range(5)
    ]
    url = f"http://localhost:{jp_http_port}{jp_base_url}modelarts/api/v1/events"
    headers = {**jp_auth_header, "Last-Event-ID": str(published[0].id - 1)}
    received = await read_events(url, headers, len(published))
    assert [int(event["id"]) for event in received] == [event.id for event in published]
    assert [event["data"] for event in received] == [event.data for event in published]
    assert {event["event"] for event in received} == {"resource"}
