"""The stdio transport: one principal for the whole process, the same tools.

For a local client that starts ``manage.py mcp`` itself: whoever can run it
can read the store, so naming a user (``--email``) is enough; a tenant API
key (``CODITECT_API_KEY``) is checked by the REST authentication instead."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import timedelta

import anyio

from accounts.records import Principal
from accounts.selectors import user_find
from config.api import clock
from config.api.errors import ApiError, NotFound
from config.api.ids import epoch_ms, uuid7_at
from fdbstore.connection import get_database
from mcp_server.auth import Refusal, authenticate
from mcp_server.principal import set_stdio_principal
from mcp_server.server import build_server
from tenancy.records import self_tenant_id
from tenancy.selectors import membership_role

LIFETIME = timedelta(days=365)  # never checked: nothing revokes a local operator's process


class NotAMember(NotFound):
    default_code = "not_a_member"
    default_detail = "This user is not a member of that tenant."


def principal_for_email(*, email: str, tenant_id: uuid.UUID | None = None) -> Principal:
    """The principal of ``email`` in ``tenant_id`` (default: their personal tenant);
    ``ApiError`` for an unknown user or a tenant they are not a member of."""
    user = user_find(email=email)
    tenant = tenant_id or self_tenant_id(user.id)
    role = get_database().transact(
        lambda tr: membership_role(tr, user_id=user.id, tenant_id=tenant)
    )
    if role is None:
        raise NotAMember(f"{user.email} is not a member of tenant {tenant}.")
    now = clock.now()
    fields = {
        "user_id": user.id,
        "tenant_id": tenant,
        "email": user.email,
        "jti": str(uuid7_at(epoch_ms(now))),
        "issued_at": int(now.timestamp()),
        "expires_at": int((now + LIFETIME).timestamp()),
    }
    if "role" in {field.name for field in dataclasses.fields(Principal)}:
        fields["role"] = role  # tenancy roles (issue 10)
    return Principal(**fields)


def principal_for_key(key: str) -> Principal:
    """The principal of an API key (or token), checked as REST checks a Bearer credential."""
    result = authenticate(f"Bearer {key.strip()}")
    if isinstance(result, Refusal):
        error = ApiError(f"CODITECT_API_KEY was refused: {result.message}")
        error.default_code = result.code
        raise error
    return result


def serve_stdio(principal: Principal) -> None:
    """Serve MCP on stdin/stdout as ``principal`` until stdin closes."""
    set_stdio_principal(principal)
    anyio.run(build_server().run_stdio_async)
