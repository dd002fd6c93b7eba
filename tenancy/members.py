"""Member use cases: change a role, remove a member (or leave), add one directly.

Each is one transaction that reads the caller's role and the target's
membership, checks the permission table and the last-owner rule, and writes.
Removing a member deletes the API keys they made in that tenant in the same
transaction; demoting one lowers their keys' roles to the new role."""

from __future__ import annotations

import dataclasses
import uuid

from fdb import tuple as fdbtuple

from accounts.records import Principal
from config.api import clock
from fdbstore.connection import get_database
from fdbstore.transaction import ReadOperations, Transaction
from tenancy.access import role_in
from tenancy.errors import (
    AlreadyMember,
    LastOwner,
    MemberNotFound,
    PermissionDenied,
    PersonalTenant,
    TenantNotFound,
)
from tenancy.permissions import OWNER, RANK, capped, may_remove, may_set_role
from tenancy.records import ORGANIZATION, Membership
from tenancy.repositories import api_keys, is_personal, memberships, tenants

MAX_KEYS_PER_MEMBER = 100  # so removing a member deletes their keys in one transaction


def _organization_member(
    tr: ReadOperations, *, tenant_id: uuid.UUID, user_id: uuid.UUID
) -> Membership:
    tenant = tenants.get(tr, tenant_id)
    if tenant is None:
        raise TenantNotFound()
    membership = memberships.get(tr, user_id, tenant_id)
    if membership is None:
        raise MemberNotFound()
    if tenant.kind != ORGANIZATION:
        raise PersonalTenant("A personal tenant's only member is its owner.")
    return membership


def other_owner_exists(tr: ReadOperations, *, tenant_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    """One range read of at most two entries of the ``tenant_roles`` index."""
    scope = memberships.index("by_role").space().subspace((tenant_id, OWNER))
    rows = tr.get_range(scope.range().start, scope.range().stop, limit=2)
    return any(scope.unpack(row.key)[0] != user_id for row in rows)


def _keep_an_owner(tr: ReadOperations, target: Membership) -> None:
    """``LastOwner`` when ``target`` is the organisation's only owner."""
    if target.role == OWNER and not other_owner_exists(
        tr, tenant_id=target.tenant_id, user_id=target.user_id
    ):
        raise LastOwner()


def member_role_change(
    *, principal: Principal, tenant_id: uuid.UUID, user_id: uuid.UUID, role: str | None
) -> Membership:
    """Set ``user_id``'s role (``None`` changes nothing) under the permission table."""

    def change(tr: Transaction) -> Membership:
        actor = role_in(tr, principal=principal, tenant_id=tenant_id)
        target = _organization_member(tr, tenant_id=tenant_id, user_id=user_id)
        if role is None or target.role == role:
            return target
        if user_id == principal.user_id and RANK[role] > RANK[actor]:
            raise PermissionDenied("Nobody raises their own role.")
        if not may_set_role(actor=actor, target=target.role, new=role):
            raise PermissionDenied()
        if target.role == OWNER and not other_owner_exists(
            tr, tenant_id=tenant_id, user_id=user_id
        ):
            raise LastOwner()
        changed = dataclasses.replace(target, role=role)
        memberships.update(tr, target, changed)
        _cap_keys(tr, user_id=user_id, tenant_id=tenant_id, role=role)
        return changed

    return get_database().transact(change)


def member_remove(*, principal: Principal, tenant_id: uuid.UUID, user_id: uuid.UUID) -> None:
    """Remove ``user_id`` (admin+ for others; anyone may leave), with their keys here."""

    def remove(tr: Transaction) -> None:
        actor = role_in(tr, principal=principal, tenant_id=tenant_id)
        target = _organization_member(tr, tenant_id=tenant_id, user_id=user_id)
        leaving = user_id == principal.user_id and principal.api_key_id is None
        if not leaving and not may_remove(actor=actor, target=target.role):
            raise PermissionDenied()
        if target.role == OWNER and not other_owner_exists(
            tr, tenant_id=tenant_id, user_id=user_id
        ):
            raise LastOwner()
        membership_delete(tr, membership=target)

    get_database().transact(remove)


def membership_delete(tr: Transaction, *, membership: Membership) -> None:
    """Delete a membership and the API keys its user made in that tenant."""
    api_keys.delete_by_index(
        tr,
        "by_creator",
        (membership.user_id, membership.tenant_id),
        limit=MAX_KEYS_PER_MEMBER,
    )
    memberships.delete(tr, membership)


def _cap_keys(tr: Transaction, *, user_id: uuid.UUID, tenant_id: uuid.UUID, role: str) -> None:
    scope = api_keys.index("by_creator").space().subspace((user_id, tenant_id))
    rows = tr.get_range(scope.range().start, scope.range().stop, limit=MAX_KEYS_PER_MEMBER)
    for key in api_keys.get_many(tr, [fdbtuple.unpack(row.value) for row in rows]):
        if key is not None and capped(key.role, role) != key.role:
            api_keys.update(tr, key, dataclasses.replace(key, role=role))


def member_add(*, tenant_id: uuid.UUID, user_id: uuid.UUID, role: str) -> Membership:
    """Add ``user_id`` to an organisation with ``role`` (operators: ``addmember``)."""
    membership = Membership(user_id=user_id, tenant_id=tenant_id, role=role, created_at=clock.now())

    def add(tr: Transaction) -> Membership:
        tenant = tenants.get(tr, tenant_id)
        if tenant is None:
            raise TenantNotFound()
        if tenant.kind != ORGANIZATION:
            raise PersonalTenant()
        existing = memberships.get(tr, user_id, tenant_id)
        if existing is not None:
            if existing == membership:  # this call's own earlier attempt (1021)
                return existing
            raise AlreadyMember()
        memberships.insert(tr, membership)
        return membership

    return get_database().transact(add)


def member_remove_by_operator(*, tenant_id: uuid.UUID, user_id: uuid.UUID) -> None:
    """Remove a member (``removemember``): the last-owner rule holds here too."""

    def remove(tr: Transaction) -> None:
        target = _organization_member(tr, tenant_id=tenant_id, user_id=user_id)
        if target.role == OWNER and not other_owner_exists(
            tr, tenant_id=tenant_id, user_id=user_id
        ):
            raise LastOwner()
        membership_delete(tr, membership=target)

    get_database().transact(remove)


def sole_owner_of(tr: ReadOperations, *, user_id: uuid.UUID, limit: int = 1000) -> list[uuid.UUID]:
    """The organisations (among ``user_id``'s first ``limit`` memberships) that would be
    left without an owner if the user went: deleting the user is refused for them."""
    scope = memberships.space.subspace((user_id,))
    rows = tr.get_range(scope.range().start, scope.range().stop, limit=limit)
    owned = [m for m in (memberships.codec.decode(r.value) for r in rows) if m.role == OWNER]
    return [
        m.tenant_id
        for m in owned
        if not is_personal(m) and not other_owner_exists(tr, tenant_id=m.tenant_id, user_id=user_id)
    ]
