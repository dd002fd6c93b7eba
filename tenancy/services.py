"""Tenant use cases: create (personal, organisation), rename, delete.

The personal-tenant pieces take the caller's transaction: a tenant is created
as part of registering its owner, in the same commit. The organisation use
cases own their transactions; a deletion takes as many bounded ones as the
tenant's size needs."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import datetime

from accounts.records import Principal
from config.api import clock
from fdbstore.connection import get_database
from fdbstore.transaction import Transaction
from sessions_api.hooks import sessions_deleted_committed
from sessions_api.services import tenant_sessions_delete
from tenancy.access import require
from tenancy.errors import PersonalTenant, TenantNotFound
from tenancy.hooks import tenant_data_delete
from tenancy.permissions import Action
from tenancy.records import ORGANIZATION, OWNER, PERSONAL, Membership, Tenant, self_tenant_id
from tenancy.repositories import api_keys, invitations, memberships, tenants

DELETE_BATCH = 500  # records of one kind per transaction: ~1 MB at most, far from 10 MB


def tenant_self_create(
    tr: Transaction, *, owner_id: uuid.UUID, name: str, now: datetime
) -> Membership:
    """Write ``owner_id``'s personal tenant and their owner membership.

    Safe to run again with the same arguments: the writes are the same keys
    and values (the registration retry after 1021 or 1039, maybe committed)."""
    tenant = Tenant(
        id=self_tenant_id(owner_id), name=name, kind=PERSONAL, owner_id=owner_id, created_at=now
    )
    membership = Membership(user_id=owner_id, tenant_id=tenant.id, role=OWNER, created_at=now)
    tenants.insert(tr, tenant)
    memberships.insert(tr, membership)
    return membership


def organization_create(*, owner_id: uuid.UUID, name: str) -> tuple[Tenant, Membership]:
    """A new organisation with ``owner_id`` as its owner, in one transaction.

    The id is chosen before the retry loop: a retry rewrites the same values."""
    now = clock.now()
    tenant = Tenant(
        id=uuid.uuid4(), name=name, kind=ORGANIZATION, owner_id=owner_id, created_at=now
    )
    membership = Membership(user_id=owner_id, tenant_id=tenant.id, role=OWNER, created_at=now)

    def create(tr: Transaction) -> None:
        tenants.update(tr, tenants.get(tr, tenant.id), tenant)
        memberships.update(tr, memberships.get(tr, owner_id, tenant.id), membership)

    get_database().transact(create)
    return tenant, membership


def tenant_rename(
    *, principal: Principal, tenant_id: uuid.UUID, name: str | None
) -> tuple[Tenant, str]:
    """Rename the tenant (admin+; ``None`` changes nothing); return it and the caller's role."""

    def rename(tr: Transaction) -> tuple[Tenant, str]:
        role = require(tr, principal=principal, tenant_id=tenant_id, action=Action.RENAME)
        current = tenants.get(tr, tenant_id)
        if current is None:
            raise TenantNotFound()
        renamed = current if name is None else dataclasses.replace(current, name=name)
        if renamed != current:
            tenants.update(tr, current, renamed)
        return renamed, role

    return get_database().transact(rename)


def tenant_delete(tr: Transaction, *, tenant_id: uuid.UUID, limit: int) -> tuple[int, bool]:
    """Delete up to ``limit`` each of the tenant's API keys and invitations, then of its
    memberships, and the tenant record with the last of them; return (memberships
    deleted, whether more remain). Higher apps' data (``tenancy/hooks.py``) goes
    between the two, in the same bounded steps. Called again until nothing remains, it deletes a
    tenant of any size (its sessions are the caller's: ``tenant_sessions_delete``)."""
    _, more_keys = api_keys.delete_by_index(tr, "by_tenant", (tenant_id,), limit=limit)
    _, more_invitations = invitations.delete_by_index(tr, "by_tenant", (tenant_id,), limit=limit)
    if more_keys or more_invitations:
        return 0, True
    if tenant_data_delete(tr, tenant_id=tenant_id, limit=limit):  # higher apps: tenancy/hooks.py
        return 0, True
    deleted, more = memberships.delete_by_index(tr, "by_tenant", (tenant_id,), limit=limit)
    if not more:
        tenant = tenants.get(tr, tenant_id)
        if tenant is not None:
            tenants.delete(tr, tenant)
    return deleted, more


def user_memberships_delete(tr: Transaction, *, user_id: uuid.UUID, limit: int) -> tuple[int, bool]:
    """Delete up to ``limit`` of ``user_id``'s API keys, then of their memberships, in
    whatever tenant; return (memberships deleted, whether more remain)."""
    _, more = api_keys.delete_by_index(tr, "by_creator", (user_id,), limit=limit)
    if more:
        return 0, True
    return memberships.delete_by_prefix(tr, (user_id,), limit=limit)


@dataclass(frozen=True)
class TenantDeletion:
    tenant_id: uuid.UUID
    sessions: int
    memberships: int
    transactions: int


def organization_delete(
    *, principal: Principal, tenant_id: uuid.UUID, batch_size: int = DELETE_BATCH
) -> TenantDeletion:
    """Delete an organisation (owner only): its sessions (through the sessions
    service, so their hooks run), API keys, invitations, memberships and record.

    The first transaction checks the caller is its owner (and refuses a personal
    tenant); each deletes at most ``batch_size`` records of a kind. Memberships go
    last, the caller's possibly among the first of them, so later steps do not
    re-check: the deletion was authorised. Interrupted before the memberships, it
    can be run again by the owner; after, by an operator (``tenant_purge_step``)."""
    sessions = members = transactions = 0
    while True:
        check = transactions == 0
        step = get_database().transact(
            lambda tr, check=check: _delete_step(
                tr, principal=principal, tenant_id=tenant_id, limit=batch_size, check=check
            )
        )
        transactions += 1
        sessions, members = sessions + step[0], members + step[1]
        if not step[2]:
            if sessions:
                sessions_deleted_committed()  # their files etc.: sessions_api/hooks.py
            return TenantDeletion(tenant_id, sessions, members, transactions)


def _delete_step(
    tr: Transaction, *, principal: Principal, tenant_id: uuid.UUID, limit: int, check: bool
) -> tuple[int, int, bool]:
    if check:
        require(tr, principal=principal, tenant_id=tenant_id, action=Action.DELETE)
        tenant = tenants.get(tr, tenant_id)
        if tenant is None:
            raise TenantNotFound()
        if tenant.kind != ORGANIZATION:
            raise PersonalTenant("A personal tenant goes with its user (manage.py deleteuser).")
    return tenant_purge_step(tr, tenant_id=tenant_id, limit=limit)


def tenant_purge_step(
    tr: Transaction, *, tenant_id: uuid.UUID, limit: int
) -> tuple[int, int, bool]:
    """One bounded step of deleting a tenant: (sessions, memberships, more remain)."""
    sessions, more = tenant_sessions_delete(tr, tenant_id=tenant_id, limit=limit)
    if more:
        return sessions, 0, True
    deleted, more = tenant_delete(tr, tenant_id=tenant_id, limit=limit)
    return sessions, deleted, more
