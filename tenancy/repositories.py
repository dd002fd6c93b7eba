"""Tenants and memberships in fdbstore (key shapes: ``fdbstore/keys.py``)."""

from __future__ import annotations

from fdbstore.codec import RecordCodec
from fdbstore.indexes import Index
from fdbstore.keys import keyspace
from fdbstore.repository import Repository
from tenancy.records import Membership, Tenant


class TenantRepository(Repository[Tenant]):
    codec = RecordCodec(Tenant, version=1)


class MembershipRepository(Repository[Membership]):
    """``user_tenants/{user_id}/{tenant_id}`` with the ``tenant_users`` index.

    The index is declared unique on (tenant_id, user_id) -- a pair occurs
    once -- so its entries are exactly ``tenant_users/{tenant_id}/{user_id}``
    (a non-unique index would append the primary key again)."""

    codec = RecordCodec(Membership, version=1)
    indexes = [
        Index(
            "by_tenant",
            lambda: keyspace().tenant_users,
            lambda m: (m.tenant_id, m.user_id),
            unique=True,
        )
    ]


tenants = TenantRepository(lambda: keyspace().tenants, lambda t: (t.id,))
memberships = MembershipRepository(
    lambda: keyspace().user_tenants, lambda m: (m.user_id, m.tenant_id)
)
