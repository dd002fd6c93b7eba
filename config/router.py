"""The project's ASGI application: mounted ASGI apps by path prefix, Django for the rest.

``settings.ASGI_MOUNTS`` maps a path prefix to the dotted path of an ASGI
application, for instance ``{"/api/v5/mcp": "mcp_server.asgi.application"}``.
A request whose path is the prefix or starts with ``prefix + "/"`` goes to that
app, with ``root_path`` extended by the prefix and ``path`` left whole
(Starlette's convention: it routes on the path past ``root_path``); every other
request goes to Django (``config.bridge``).

Mounted apps are set up in each worker, after the fork, when the server
starts the worker's lifespan (or on the first request if the server sends no
lifespan events). The production server's master may have imported their
modules already (``config.preload``): importing one must open nothing, and
whatever an app opens it opens in its lifespan. Each mounted app gets its own
lifespan (startup before the worker serves, shutdown when it stops): an SDK's
session manager runs there. An app that does not speak lifespan is simply
served without one.

Answers from mounted apps get what Django's middleware gives every response
(``X-Request-ID``, security and CORS headers) and one request log line when
the response ends, so a stream's line carries its whole duration.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

from django.utils.module_loading import import_string

from config import edge

logger = logging.getLogger("coditect.server")

LIFESPAN_TIMEOUT_S = 30


class _Mount:
    def __init__(self, prefix: str, dotted: str) -> None:
        self.prefix = prefix.rstrip("/")
        self.dotted = dotted
        self.app: Callable = import_string(dotted)
        self.state: dict[str, Any] = {}
        self._to_app: asyncio.Queue | None = None
        self._from_app: asyncio.Queue | None = None
        self._task: asyncio.Task | None = None

    def matches(self, path: str) -> bool:
        return path == self.prefix or path.startswith(self.prefix + "/")

    async def startup(self) -> None:
        self._to_app, self._from_app = asyncio.Queue(), asyncio.Queue()
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": self.state}
        self._task = asyncio.create_task(self.app(scope, self._to_app.get, self._from_app.put))
        await self._to_app.put({"type": "lifespan.startup"})
        message = await self._answer()
        if message is None:
            logger.info("mounted app %s runs without lifespan", self.dotted)
            self._task = None
        elif message["type"] == "lifespan.startup.failed":
            raise RuntimeError(f"{self.dotted} failed to start: {message.get('message', '')}")

    async def shutdown(self) -> None:
        if self._task is None or self._to_app is None:
            return
        await self._to_app.put({"type": "lifespan.shutdown"})
        message = await self._answer()
        if message is not None and message["type"] == "lifespan.shutdown.failed":
            logger.error("%s failed to stop: %s", self.dotted, message.get("message", ""))

    async def _answer(self) -> dict | None:
        """The app's next lifespan message, or None if it returned or raised instead."""
        assert self._from_app is not None and self._task is not None
        getter = asyncio.ensure_future(self._from_app.get())
        done, _ = await asyncio.wait(
            {getter, self._task}, timeout=LIFESPAN_TIMEOUT_S, return_when=asyncio.FIRST_COMPLETED
        )
        if getter in done:
            return getter.result()
        getter.cancel()
        if self._task in done:
            with contextlib.suppress(Exception):
                self._task.result()  # an app without lifespan raises or returns here
            return None
        raise RuntimeError(f"{self.dotted} did not answer its lifespan in {LIFESPAN_TIMEOUT_S} s")

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        scope = dict(scope)
        scope["root_path"] = scope.get("root_path", "") + self.prefix
        if self.state:
            scope["state"] = dict(self.state)
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        rid = edge.request_id(scope)
        status = 500

        async def decorated(message: dict) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": edge.decorate(scope, message["headers"], rid)}
            await send(message)

        try:
            await self.app(scope, receive, decorated)
        finally:
            edge.log_request(scope, status, rid, started)


class Router:
    """The ASGI application of the whole project."""

    def __init__(self, django: Callable, mounts: Callable[[], dict[str, str]]) -> None:
        self.django = django
        self._mount_settings = mounts
        self._mounts: list[_Mount] | None = None

    def mounts(self) -> list[_Mount]:
        if self._mounts is None:
            # Longest prefix first, so /api/v5/mcp/admin can sit beside /api/v5/mcp.
            items = sorted(self._mount_settings().items(), key=lambda kv: -len(kv[0]))
            self._mounts = [_Mount(prefix, dotted) for prefix, dotted in items]
        return self._mounts

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            await self._lifespan(receive, send)
            return
        mounts = self._mounts if self._mounts is not None else self.mounts()
        if mounts:
            path = scope["path"]
            for mount in mounts:
                if mount.matches(path):
                    await mount(scope, receive, send)
                    return
        await self.django(scope, receive, send)

    async def _lifespan(self, receive: Callable, send: Callable) -> None:
        started: list[_Mount] = []
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    for mount in self.mounts():
                        await mount.startup()
                        started.append(mount)
                except Exception as exc:
                    logger.exception("startup failed")
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                for mount in reversed(started):
                    try:
                        await mount.shutdown()
                    except Exception:
                        logger.exception("shutdown of %s failed", mount.dotted)
                shutdown = getattr(self.django, "shutdown", None)
                if shutdown is not None:
                    shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return
