"""Authorising a request against one tenant: the caller's role there, or 404.

Endpoints under ``/tenants/{tenantId}`` act on the tenant in the path, whatever
tenant the caller's token is switched to: a user's role is read from their
membership, in the use case's own transaction (so a removal committed first
is seen). An API key acts only in its own tenant, with its own role.
"""

from __future__ import annotations

import uuid

from accounts.records import Principal
from fdbstore.transaction import ReadOperations
from tenancy.errors import PermissionDenied, TenantNotFound
from tenancy.permissions import Action, allows
from tenancy.repositories import memberships


def parse_tenant_id(value: str) -> uuid.UUID:
    """The tenant id in a URL or body; anything that is not a UUID is simply not found."""
    if not isinstance(value, str) or len(value) > 45:
        raise TenantNotFound()
    try:
        return uuid.UUID(value)
    except ValueError:
        raise TenantNotFound() from None


def role_in(tr: ReadOperations, *, principal: Principal, tenant_id: uuid.UUID) -> str:
    """The caller's role in ``tenant_id``; ``TenantNotFound`` when they are not a member."""
    if principal.api_key_id is not None:
        if principal.tenant_id != tenant_id or principal.role is None:
            raise TenantNotFound()
        return principal.role
    membership = memberships.get(tr, principal.user_id, tenant_id)
    if membership is None:
        raise TenantNotFound()
    return membership.role


def require(
    tr: ReadOperations, *, principal: Principal, tenant_id: uuid.UUID, action: Action
) -> str:
    """``role_in``, and ``PermissionDenied`` (403) unless that role allows ``action``."""
    role = role_in(tr, principal=principal, tenant_id=tenant_id)
    if not allows(role, action):
        raise PermissionDenied()
    return role
