"""The A2A face as ASGI apps, mounted through ``settings.ASGI_MOUNTS`` (config/router.py).

- ``rpc_application`` at ``/api/v5/a2a``: the SDK's JSON-RPC route (every 1.0
  method, SSE streaming) over ``HubRequestHandler``, behind the API's own
  bearer authentication (401 with ``WWW-Authenticate: Bearer`` without a valid
  credential). Other paths under the prefix -- the workers'
  ``/api/v5/a2a/tasks/{taskId}/updates`` -- are handed to Django unchanged.
- ``card_application`` at ``/.well-known/agent-card.json``: the public card.

Waiting (blocking sends, streams) happens here, on the event loop, on
fdbstore watches: no thread and no worker process per waiting client.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from a2a.server.request_handlers.response_helpers import agent_card_to_dict
from a2a.server.routes import DefaultServerCallContextBuilder, create_jsonrpc_routes
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from agents.a2a_auth import principal_of
from agents.a2a_handler import HubRequestHandler
from agents.card import agent_card, base_url_of
from agents.conf import agents_setting

PREFIX = "/api/v5/a2a"
_PRINCIPAL = "coditect.principal"


def _base_url(request: Request) -> str:
    return base_url_of(request.url.scheme, request.headers.get("host", "localhost"))


class HubContextBuilder(DefaultServerCallContextBuilder):
    """The SDK's context, plus the caller's principal and the public base URL."""

    def build(self, request: Request):
        context = super().build(request)
        context.state["principal"] = request.scope[_PRINCIPAL]
        context.state["base_url"] = _base_url(request)
        return context


_rpc = Starlette(
    routes=create_jsonrpc_routes(
        HubRequestHandler(), rpc_url="/", context_builder=HubContextBuilder()
    )
)


async def _card(request: Request) -> JSONResponse:
    return JSONResponse(agent_card_to_dict(agent_card(_base_url(request))))


_card_app = Starlette(routes=[Route("/", _card, methods=["GET"])])


def _at_root(scope: dict) -> dict:
    """The mount's own path as Starlette's "/" route (it would redirect the bare prefix)."""
    root = scope.get("root_path", "")
    if scope.get("path") == root:
        return {**scope, "path": root + "/", "raw_path": (root + "/").encode()}
    return scope


async def card_application(scope: dict, receive: Callable, send: Callable) -> None:
    await _card_app(_at_root(scope) if scope["type"] == "http" else scope, receive, send)


async def _send_json(send: Callable, status: int, body: Any, headers: list | None = None) -> None:
    raw = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(raw)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": raw})


def _unauthenticated() -> dict[str, Any]:
    message = "A valid bearer credential (a user token or a tenant API key) is required."
    return {"success": False, "error": {"code": "not_authenticated", "message": message}}


def _too_large(limit: int) -> dict[str, Any]:
    message = f"The request body is larger than {limit} bytes."
    return {"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": message}}


def _max_body() -> int:
    return agents_setting("MAX_MESSAGE_BYTES") * 2 + 16 * 1024


async def rpc_application(scope: dict, receive: Callable, send: Callable) -> None:
    if scope["type"] != "http":
        await _rpc(scope, receive, send)
        return
    root = scope.get("root_path", "")
    if scope["path"] not in (root, root + "/"):
        await _django(scope, receive, send, root)
        return
    headers = {
        name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]
    }
    length = headers.get("content-length", "")
    if length.isdigit() and int(length) > _max_body():
        await _send_json(send, 413, _too_large(_max_body()))
        return
    principal = await principal_of(headers)
    if principal is None:
        await _send_json(send, 401, _unauthenticated(), [(b"www-authenticate", b"Bearer")])
        return
    await _rpc({**_at_root(scope), _PRINCIPAL: principal}, receive, send)


async def _django(scope: dict, receive: Callable, send: Callable, root: str) -> None:
    """Hand a path the mount does not serve back to Django, as the router would have."""
    from config.asgi import django_app

    original = root[: -len(PREFIX)] if root.endswith(PREFIX) else root
    await django_app({**scope, "root_path": original}, receive, send)
