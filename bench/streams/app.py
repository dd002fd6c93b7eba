"""An idle event stream, mounted on the project for ``bench.idle_streams``.

``GET /api/v5/bench-stream`` answers ``200 text/event-stream`` and then sends a
heartbeat comment every ``HEARTBEAT_S`` seconds (15, as an MCP or A2A stream
would) until the client leaves: a long-lived connection that costs the server
almost nothing but its place.
"""

from __future__ import annotations

import asyncio

HEARTBEAT_S = 15.0
STREAM_PATH = "/api/v5/bench-stream"
_HEADERS = [(b"content-type", b"text/event-stream"), (b"cache-control", b"no-store")]


async def application(scope, receive, send):
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": _HEADERS})
    await send({"type": "http.response.body", "body": b": open\n\n", "more_body": True})
    gone = asyncio.ensure_future(receive())
    while True:
        done, _ = await asyncio.wait({gone}, timeout=HEARTBEAT_S)
        if done:
            return
        await send({"type": "http.response.body", "body": b": heartbeat\n\n", "more_body": True})
