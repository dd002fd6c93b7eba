"""The A2A face as ASGI apps, mounted through ``settings.ASGI_MOUNTS`` (config/router.py).

- ``rpc_application`` at ``/api/v5/a2a``: the SDK's JSON-RPC route (every 1.0
  method, SSE streaming) over ``HubRequestHandler``, behind the API's own
  bearer authentication (401 with ``WWW-Authenticate: Bearer`` without a valid
  credential). Other paths under the prefix -- the workers'
  ``/api/v5/a2a/tasks/{taskId}/updates`` -- are handed to Django unchanged.
- ``card_application`` at ``/.well-known/agent-card.json``: the public card.
- ``agents_application`` at ``/api/v5/agents``: a worker's claim long-poll
  (``POST /api/v5/agents/{agentId}/claim``) is answered here, on the event loop,
  in the REST envelope; every other path under the prefix goes to Django.

Waiting (blocking sends, streams) happens here, on the event loop, on
fdbstore watches: no thread and no worker process per waiting client.
"""

from __future__ import annotations

import json
import re
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
from agents.errors import AgentNotFound
from agents.serializers import ClaimSerializer, claim_data
from agents.services import task_claim_async
from config.api.envelope import error_body, success_body

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
    """The message, its files as base64, and room for the JSON-RPC envelope."""
    files = -(-agents_setting("MAX_FILE_BYTES") * 4 // 3)
    return agents_setting("MAX_MESSAGE_BYTES") * 2 + files + 16 * 1024


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
    # Read under the cap here: a body without Content-Length (chunked) is not
    # checked above, and the SDK would read it whole, however large.
    body = await _read_body(receive, _max_body())
    if body is None:
        await _send_json(send, 413, _too_large(_max_body()))
        return
    await _rpc({**_at_root(scope), _PRINCIPAL: principal}, _replay(body, receive), send)


def _replay(body: bytes, receive: Callable) -> Callable:
    """``receive`` that hands over the body already read, then the client's own
    messages (a stream watches them for the client's disconnect)."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> dict:
        return pending.pop() if pending else await receive()

    return replay


async def _django(
    scope: dict, receive: Callable, send: Callable, root: str, prefix: str = PREFIX
) -> None:
    """Hand a path the mount does not serve back to Django, as the router would have."""
    from config.asgi import django_app

    original = root[: -len(prefix)] if root.endswith(prefix) else root
    await django_app({**scope, "root_path": original}, receive, send)


AGENTS_PREFIX = "/api/v5/agents"
_CLAIM = re.compile(r"^/([^/]+)/claim/?$")
_CLAIM_BODY_MAX = 4096


async def agents_application(scope: dict, receive: Callable, send: Callable) -> None:
    root = scope.get("root_path", "")
    match = _CLAIM.match(scope["path"][len(root) :]) if scope["type"] == "http" else None
    if match is None or scope["method"] != "POST":
        if scope["type"] == "http":
            await _django(scope, receive, send, root, AGENTS_PREFIX)
        return
    status, body = await claim_answer(scope, receive, match.group(1))
    if body is None:
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        return
    extra = [(b"www-authenticate", b"Bearer")] if status == 401 else []
    await _send_json(send, status, body, extra)


async def claim_answer(scope: dict, receive: Callable, agent_id: str) -> tuple[int, Any]:
    """(status, envelope body or None) for a claim, as the REST API would answer it."""
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    principal = await principal_of(headers)
    if principal is None:
        return 401, _unauthenticated()
    if not headers.get("content-type", "").startswith("application/json"):
        return 415, error_body("unsupported_media_type", "Send the body as application/json.")
    raw = await _read_body(receive, _CLAIM_BODY_MAX)
    if raw is None:
        return 413, error_body("payload_too_large", "The request body is too large.")
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        return 400, error_body("parse_error", "The request body is not valid JSON.")
    body = ClaimSerializer(data=data)
    if not body.is_valid():
        details = {k: [str(m) for m in v] for k, v in body.errors.items()}
        return 400, error_body("validation_error", "The request body is invalid.", details)
    try:
        claimed = await task_claim_async(
            tenant_id=principal.tenant_id,
            agent_id=agent_id,
            timeout=body.validated_data["timeout"],
        )
    except AgentNotFound as exc:
        return 404, error_body(exc.default_code, str(exc.message))
    if claimed is None:
        return 204, None
    return 200, success_body(claim_data(*claimed))


async def _read_body(receive: Callable, limit: int) -> bytes | None:
    chunks, size = [], 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)
