"""Tenancy use cases. They take the caller's transaction: a tenant is created
as part of registering its owner, in the same commit."""

from __future__ import annotations

import uuid
from datetime import datetime

from fdbstore.transaction import Transaction
from tenancy.records import OWNER, Membership, Tenant, self_tenant_id
from tenancy.repositories import memberships, tenants


def tenant_self_create(
    tr: Transaction, *, owner_id: uuid.UUID, name: str, now: datetime
) -> Membership:
    """Write ``owner_id``'s personal tenant and their owner membership.

    Safe to run again with the same arguments: the writes are the same keys
    and values (the registration retry after 1021 or 1039, maybe committed)."""
    tenant = Tenant(
        id=self_tenant_id(owner_id), name=name, kind="personal", owner_id=owner_id, created_at=now
    )
    membership = Membership(user_id=owner_id, tenant_id=tenant.id, role=OWNER, created_at=now)
    tenants.insert(tr, tenant)
    memberships.insert(tr, membership)
    return membership


def tenant_delete(tr: Transaction, *, tenant_id: uuid.UUID, limit: int) -> tuple[int, bool]:
    """Delete up to ``limit`` of the tenant's memberships (both keys of each), and the
    tenant record with the last of them; return (memberships deleted, whether more
    remain). Called again until nothing remains, it deletes a tenant of any size."""
    deleted, more = memberships.delete_by_index(tr, "by_tenant", (tenant_id,), limit=limit)
    if not more:
        tenant = tenants.get(tr, tenant_id)
        if tenant is not None:
            tenants.delete(tr, tenant)
    return deleted, more


def user_memberships_delete(tr: Transaction, *, user_id: uuid.UUID, limit: int) -> tuple[int, bool]:
    """Delete up to ``limit`` of ``user_id``'s memberships, in whatever tenant; return
    (memberships deleted, whether more remain)."""
    return memberships.delete_by_prefix(tr, (user_id,), limit=limit)
