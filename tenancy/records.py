"""Tenants and memberships.

Every user owns a personal "self" tenant whose id is derived from the user id
(``self_tenant_id``), so it never needs looking up. Organisation tenants, with
several members, are the planned next step; the membership record and the
``tenant_users`` index are already shaped for them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

# The namespace of self-tenant ids: tenant_id = uuid5(SELF_TENANT_NAMESPACE, str(user_id)).
# Fixed forever: changing it would orphan every existing tenant. It is itself
# uuid5(NAMESPACE_DNS, "tenants.coditect.ai").
SELF_TENANT_NAMESPACE = uuid.UUID("5b61b272-c1f3-5b78-bf59-1dacfed72d92")

OWNER = "owner"
MEMBER = "member"
ROLES = (OWNER, MEMBER)


def self_tenant_id(user_id: uuid.UUID) -> uuid.UUID:
    """Return the id of ``user_id``'s personal tenant (UUID v5)."""
    return uuid.uuid5(SELF_TENANT_NAMESPACE, str(user_id))


@dataclass(frozen=True)
class Tenant:
    """``tenants/{id}`` (schema version 1). ``kind`` is ``"personal"`` for now."""

    id: uuid.UUID
    name: str
    kind: str
    owner_id: uuid.UUID
    created_at: datetime


@dataclass(frozen=True)
class Membership:
    """``users/{user_id}/tenants/{tenant_id}``: a user's role in a tenant."""

    user_id: uuid.UUID
    tenant_id: uuid.UUID
    role: str
    created_at: datetime
