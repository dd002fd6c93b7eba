"""The MCP endpoint as an ASGI application: checks first, then the SDK.

Every request is answered by the SDK's streamable HTTP transport in
stateless mode (JSON responses, no ``Mcp-Session-Id``, nothing kept between
requests), so any worker of any node can answer any request. Before the SDK
reads a byte of the body, this app refuses:

- a ``Host`` outside ``ALLOWED_HOSTS`` (421) or an ``Origin`` outside
  ``CORS_ALLOWED_ORIGINS`` (403): DNS-rebinding protection (``guards``);
- a missing or bad credential (401 with ``WWW-Authenticate``), checked by
  the REST API's own authentication (``auth``);
- ``GET`` and ``DELETE`` (405): a stateless server offers no stream and no
  session to end.

The authenticated principal rides in the ASGI scope's ``state`` to the tools
(``principal``). Mounted by ``config.router`` (``settings.ASGI_MOUNTS``),
which adds the request log line, ``X-Request-ID`` and the security headers;
CORS preflights are answered here."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import anyio
import anyio.to_thread
from django.conf import settings
from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecuritySettings
from starlette.middleware.cors import CORSMiddleware
from starlette.types import Receive, Scope, Send

from config.api.envelope import error_body
from mcp_server import guards
from mcp_server.auth import Refusal, authenticate
from mcp_server.principal import SCOPE_KEY
from mcp_server.server import build_server

# The SDK logs every stateless request's transport start and end at INFO: noise
# beside the router's one request line.
for _name in ("mcp.server.streamable_http", "mcp.server.streamable_http_manager"):
    logging.getLogger(_name).setLevel(logging.WARNING)
MAX_BODY_BYTES = 4 * 1024 * 1024  # a file_write's content plus JSON-RPC framing


class McpEndpoint:
    """The bare endpoint (no CORS); ``build_application`` wraps it."""

    def __init__(self, server: MCPServer | None = None) -> None:
        self.server = server or build_server()
        self.server.streamable_http_app(
            stateless_http=True,
            json_response=True,
            max_request_body_size=MAX_BODY_BYTES,
            # Host and Origin are checked above, against the project's settings; the
            # SDK's own check would allow loopback names only.
            transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
        )
        self.manager = self.server.session_manager
        self._started: anyio.Event | None = None
        self._stop: anyio.Event | None = None
        self._runner: asyncio.Task[None] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._serve(scope, receive, send)

    async def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = _headers(scope)
        if _tail(scope) not in ("", "/"):
            await _error(send, 404, "not_found", "The MCP endpoint is the mount path itself.")
            return
        if not guards.host_allowed(headers.get("host")):
            await _error(send, 421, "invalid_host", "This host name is not served here.")
            return
        if not guards.origin_allowed(headers.get("origin")):
            await _error(send, 403, "origin_not_allowed", "Requests from this origin are refused.")
            return
        if scope["method"] != "POST":
            await _error(
                send,
                405,
                "method_not_allowed",
                "Send MCP messages with POST (this server is stateless: no stream, no session).",
                extra=[(b"allow", b"POST")],
            )
            return
        principal = await anyio.to_thread.run_sync(authenticate, headers.get("authorization"))
        if isinstance(principal, Refusal):
            await _refuse(send, principal)
            return
        scope["state"] = {**scope.get("state", {}), SCOPE_KEY: principal}
        await self._ensure_running()
        await self.manager.handle_request(scope, receive, send)

    async def _ensure_running(self) -> None:
        """Start the SDK's session manager once in this worker's event loop, after the
        fork: at lifespan startup, or on the first request if there was none."""
        if self._started is None:
            self._started, self._stop = anyio.Event(), anyio.Event()
            self._runner = asyncio.get_running_loop().create_task(self._run_manager())
        await self._started.wait()

    async def _run_manager(self) -> None:
        assert self._started is not None and self._stop is not None
        async with self.manager.run():
            self._started.set()
            await self._stop.wait()

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await self._ensure_running()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._stop is not None:
                    self._stop.set()
                await send({"type": "lifespan.shutdown.complete"})
                return


def build_application(server: MCPServer | None = None) -> Any:
    """The endpoint behind CORS (the REST API's origins, methods and max age)."""
    return CORSMiddleware(
        McpEndpoint(server),
        allow_origins=sorted(guards.allowed_origins()),
        allow_methods=["POST"],
        allow_headers=settings.CORS_ALLOW_HEADERS,
        expose_headers=[*settings.CORS_EXPOSE_HEADERS],
        max_age=settings.CORS_PREFLIGHT_MAX_AGE,
    )


def _headers(scope: Scope) -> dict[str, str]:
    return {key.decode("latin-1"): value.decode("latin-1") for key, value in scope["headers"]}


def _tail(scope: Scope) -> str:
    """The path past the mount point (``root_path``, as the router sets it)."""
    path, root = scope.get("path", ""), scope.get("root_path", "")
    if not root:  # served on its own, not through config.router: the path is ours
        return ""
    return path[len(root) :] if path.startswith(root) else path


async def _refuse(send: Send, refusal: Refusal) -> None:
    extra = [(b"www-authenticate", refusal.challenge.encode("latin-1"))]
    if refusal.status == 503:
        extra = [(b"retry-after", b"1")]
    await _error(send, refusal.status, refusal.code, refusal.message, extra=extra)


async def _error(
    send: Send, status: int, code: str, message: str, extra: list[tuple[bytes, bytes]] = ()
) -> None:
    body = json.dumps(error_body(code, message), separators=(",", ":")).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
