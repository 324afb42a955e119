"""``/events``: one Server-Sent Events stream per browser tab over the server's event bus."""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized
from tornado.iostream import StreamClosedError

from ..whole_numbers import parse_whole_number
from .base import ModelArtsHandler

#: A comment line this often keeps proxies from closing an idle stream.
KEEPALIVE_SECONDS = 15.0


class EventsHandler(ModelArtsHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        self.set_header("Content-Type", "text/event-stream")
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Accel-Buffering", "no")
        last_seen = self.request.headers.get("Last-Event-ID") or self.get_argument("since", "")
        last_event_id = parse_whole_number(last_seen)
        async with self.modelarts.events.subscribe(last_event_id) as subscription:
            try:
                self.write("retry: 3000\n: connected\n\n")
                await self.flush()
                while True:
                    event = await subscription.next(KEEPALIVE_SECONDS)
                    if event is None:
                        self.write(": keepalive\n\n")
                    else:
                        # What was published with it (one poll's changes) goes out in the same
                        # write: with many tabs, writes and flushes are most of an event's cost.
                        self.write("".join(each.frame for each in [event, *subscription.queued()]))
                    await self.flush()
            except StreamClosedError:
                return
