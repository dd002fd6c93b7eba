"""Tenants and memberships.

Every user owns a personal "self" tenant whose id is derived from the user id
(``self_tenant_id``), so it never needs looking up. Organisation tenants have
any number of members, each with a role (``tenancy.permissions``), joined by
invitation; API keys act in one tenant for machines.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from tenancy.permissions import ADMIN, MEMBER, OWNER, ROLES

# The namespace of self-tenant ids: tenant_id = uuid5(SELF_TENANT_NAMESPACE, str(user_id)).
# Fixed forever: changing it would orphan every existing tenant. It is itself
# uuid5(NAMESPACE_DNS, "tenants.coditect.ai").
SELF_TENANT_NAMESPACE = uuid.UUID("5b61b272-c1f3-5b78-bf59-1dacfed72d92")

__all__ = ["ADMIN", "MEMBER", "OWNER", "ROLES"]

PERSONAL = "personal"
ORGANIZATION = "organization"
KINDS = (PERSONAL, ORGANIZATION)


def self_tenant_id(user_id: uuid.UUID) -> uuid.UUID:
    """Return the id of ``user_id``'s personal tenant (UUID v5)."""
    return uuid.uuid5(SELF_TENANT_NAMESPACE, str(user_id))


@dataclass(frozen=True)
class Tenant:
    """``tenants/{id}`` (schema version 1). ``kind`` is ``"personal"`` or
    ``"organization"``; ``owner_id`` is the user who created it."""

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


@dataclass(frozen=True)
class Invitation:
    """``invitations/{id}``: an invitation to join ``tenant_id`` with ``role``.

    ``code_digest`` is the keyed digest of the code (``tenancy.secrets``); the
    code itself is shown once, to the inviter, and never stored."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    email: str
    role: str
    code_digest: str  # hex
    inviter_id: uuid.UUID
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class ApiKey:
    """``api_keys/{digest}``: a machine's key acting in ``tenant_id`` with ``role``.

    Stored under its keyed digest, so authenticating is one read of this key;
    the secret itself is shown once, at creation. ``prefix`` is its first
    characters, to recognise it in a list."""

    id: uuid.UUID
    digest: str  # hex
    tenant_id: uuid.UUID
    creator_id: uuid.UUID
    creator_email: str
    name: str
    prefix: str
    role: str
    created_at: datetime
    expires_at: datetime | None
