"""Who an MCP tool acts for.

Over HTTP the principal is authenticated per request before the SDK reads the
message (``mcp_server.http``) and travels in the ASGI scope's ``state``, which
the SDK hands to the tool as ``ctx.request_context.request``. Over stdio there
is one principal for the whole process, fixed by ``manage.py mcp``.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from accounts.records import Principal

SCOPE_KEY = "coditect_principal"
_stdio_principal: ContextVar[Principal | None] = ContextVar("mcp_stdio_principal", default=None)


def set_stdio_principal(principal: Principal) -> None:
    """Fix the principal of a stdio server (called once, before it serves)."""
    _stdio_principal.set(principal)


def principal_of(ctx: Any) -> Principal:
    """The principal of the request ``ctx`` (an SDK ``Context``, or the low-level
    ``ServerRequestContext``) belongs to.

    Raises ``LookupError`` when there is none: the HTTP entry refuses
    unauthenticated requests before this could happen, so it means a bug."""
    request_context = ctx.request_context if hasattr(ctx, "mcp_server") else ctx
    request = getattr(request_context, "request", None)
    if request is not None:
        principal = request.scope.get("state", {}).get(SCOPE_KEY)
        if isinstance(principal, Principal):
            return principal
    principal = _stdio_principal.get()
    if principal is None:
        raise LookupError("no authenticated principal for this MCP request")
    return principal
