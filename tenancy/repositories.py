"""Tenants, memberships, invitations and API keys in fdbstore (key shapes:
``fdbstore/keys.py``)."""

from __future__ import annotations

from config.api.ids import epoch_ms
from fdbstore.codec import RecordCodec
from fdbstore.indexes import Index
from fdbstore.keys import keyspace
from fdbstore.repository import Repository
from tenancy.records import ApiKey, Invitation, Membership, Tenant, self_tenant_id


class TenantRepository(Repository[Tenant]):
    codec = RecordCodec(Tenant, version=1)


def is_personal(membership: Membership) -> bool:
    """A membership of the user's own personal tenant (its id derives from theirs)."""
    return membership.tenant_id == self_tenant_id(membership.user_id)


class MembershipRepository(Repository[Membership]):
    """``user_tenants/{user_id}/{tenant_id}`` with the ``tenant_users`` index.

    The index is declared unique on (tenant_id, user_id) -- a pair occurs
    once -- so its entries are exactly ``tenant_users/{tenant_id}/{user_id}``
    (a non-unique index would append the primary key again). ``by_role``
    indexes organisation memberships by role (``tenant_roles``)."""

    codec = RecordCodec(Membership, version=1)
    indexes = [
        Index(
            "by_tenant",
            lambda: keyspace().tenant_users,
            lambda m: (m.tenant_id, m.user_id),
            unique=True,
        ),
        Index(
            "by_role",
            lambda: keyspace().tenant_roles,
            lambda m: None if is_personal(m) else (m.tenant_id, m.role, m.user_id),
            unique=True,
        ),
    ]


tenants = TenantRepository(lambda: keyspace().tenants, lambda t: (t.id,))
memberships = MembershipRepository(
    lambda: keyspace().user_tenants, lambda m: (m.user_id, m.tenant_id)
)


class InvitationRepository(Repository[Invitation]):
    """``invitations/{id}``, found by code digest, listed by tenant, purged by expiry."""

    codec = RecordCodec(Invitation, version=1)
    indexes = [
        Index("by_code", lambda: keyspace().invitations_by_code, lambda i: (i.code_digest,), True),
        Index(
            "by_tenant", lambda: keyspace().tenant_invitations, lambda i: (i.tenant_id, i.id), True
        ),
        Index(
            "by_expiry",
            lambda: keyspace().invitations_by_expiry,
            lambda i: (epoch_ms(i.expires_at), i.id),
            True,
        ),
    ]


class ApiKeyRepository(Repository[ApiKey]):
    """``api_keys/{digest}``, listed by tenant and by the member who made them."""

    codec = RecordCodec(ApiKey, version=1)
    indexes = [
        Index("by_tenant", lambda: keyspace().tenant_api_keys, lambda k: (k.tenant_id, k.id), True),
        Index(
            "by_creator",
            lambda: keyspace().user_api_keys,
            lambda k: (k.creator_id, k.tenant_id, k.id),
            True,
        ),
    ]


invitations = InvitationRepository(lambda: keyspace().invitations, lambda i: (i.id,))
api_keys = ApiKeyRepository(lambda: keyspace().api_keys, lambda k: (k.digest,))
