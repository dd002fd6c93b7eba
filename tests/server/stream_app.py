"""A trivial ASGI app mounted through ``settings.ASGI_MOUNTS`` by the mount tests.

``GET <prefix>/events?count=N&interval=S`` is a server-sent event stream: N
events S seconds apart, each saying which worker sent it, whether the app's
lifespan startup ran in that worker, the module of its event loop, and
whether this module was imported in that worker or before the fork.
``GET <prefix>/hold`` is an idle stream that sends a comment line every
``interval`` seconds until the client leaves (the long-lived connections of
the idle-streams benchmark).
"""

from __future__ import annotations

import asyncio
import json
import os
from urllib.parse import parse_qs

STARTED: dict[str, int] = {}
IMPORTED_BY = os.getpid()  # the server's master, when it preloads (config/preload.py)


async def application(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                STARTED["pid"] = os.getpid()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    query = parse_qs(scope["query_string"].decode())
    interval = float(query.get("interval", ["0.2"])[0])
    route = scope["path"][len(scope["root_path"]) :]
    headers = [(b"content-type", b"text/event-stream"), (b"cache-control", b"no-store")]
    if route == "/events":
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for i in range(int(query.get("count", ["3"])[0])):
            data = {
                "n": i,
                "pid": os.getpid(),
                "lifespan": STARTED.get("pid") == os.getpid(),
                "root_path": scope["root_path"],
                "loop": type(asyncio.get_running_loop()).__module__,
                "imported_by_worker": os.getpid() == IMPORTED_BY,
            }
            body = f"id: {i}\ndata: {json.dumps(data)}\n\n".encode()
            await send({"type": "http.response.body", "body": body, "more_body": True})
            await asyncio.sleep(interval)
        await send({"type": "http.response.body", "body": b""})
    elif route == "/hold":
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        disconnect = asyncio.ensure_future(receive())
        while True:
            done, _ = await asyncio.wait({disconnect}, timeout=interval)
            if done:
                return
            await send(
                {"type": "http.response.body", "body": b": heartbeat\n\n", "more_body": True}
            )
    else:
        body = b'{"success":false,"error":{"code":"not_found","message":"no such stream"}}'
        await send(
            {
                "type": "http.response.start",
                "status": 404,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})
