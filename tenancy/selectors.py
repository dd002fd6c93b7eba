"""Tenancy reads: a caller's tenants, a tenant's members, invitations and API keys.

Every listing is one bounded range read of an index plus one batched read of
the records, in one transaction with the caller's membership check."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fdb import tuple as fdbtuple

from accounts.records import Principal, User
from accounts.repositories import users
from config.api.errors import ValidationFailed
from fdbstore.connection import get_database
from fdbstore.cursors import InvalidCursor, decode_cursor, encode_cursor
from fdbstore.keys import keyspace
from fdbstore.repository import Page
from fdbstore.transaction import ReadOperations, key_after
from tenancy.access import require, role_in
from tenancy.errors import MemberNotFound, TenantNotFound
from tenancy.permissions import Action
from tenancy.records import ApiKey, Invitation, Membership, Tenant
from tenancy.repositories import api_keys, invitations, memberships, tenants


@dataclass(frozen=True)
class TenantView:
    """A tenant as one caller sees it: the record and the caller's role."""

    tenant: Tenant
    role: str


@dataclass(frozen=True)
class Member:
    membership: Membership
    user: User


def membership_role(tr: ReadOperations, *, user_id: uuid.UUID, tenant_id: uuid.UUID) -> str | None:
    """Return ``user_id``'s role in ``tenant_id``, or None when not a member."""
    membership = memberships.get(tr, user_id, tenant_id)
    return None if membership is None else membership.role


def member_get(*, tenant_id: uuid.UUID, user_id: uuid.UUID) -> Member:
    """The membership and its user; ``MemberNotFound`` otherwise (one batched read)."""

    def read(tr: ReadOperations) -> Member:
        raw_membership, raw_user = tr.get_many(
            [memberships.key((user_id, tenant_id)), users.key((user_id,))]
        )
        if raw_membership is None or raw_user is None:
            raise MemberNotFound()
        return Member(memberships.codec.decode(raw_membership), users.codec.decode(raw_user))

    return get_database().transact(read)


def tenant_get(*, tenant_id: uuid.UUID) -> Tenant:
    """The tenant record; ``TenantNotFound`` when there is none."""
    tenant = get_database().transact(lambda tr: tenants.get(tr, tenant_id))
    if tenant is None:
        raise TenantNotFound(f"No tenant with id {tenant_id}.")
    return tenant


def check_cursor(cursor: str | None) -> None:
    """Every tenancy listing pages by one UUID (a tenant, user, invitation or key id)."""
    if cursor is None:
        return
    try:
        suffix = decode_cursor(cursor)
    except InvalidCursor:
        suffix = ()
    if len(suffix) != 1 or not isinstance(suffix[0], uuid.UUID):
        raise ValidationFailed(
            "The cursor is not valid.", details={"cursor": ["This cursor is not valid."]}
        )


def tenant_list(*, principal: Principal, limit: int, cursor: str | None = None) -> Page[TenantView]:
    """The caller's tenants in id order with their role in each (an API key: its own)."""
    check_cursor(cursor)
    if principal.api_key_id is not None:
        view = tenant_view(principal=principal, tenant_id=principal.tenant_id)
        return Page([view] if cursor is None else [], None)

    def page(tr: ReadOperations) -> Page[TenantView]:
        scope = memberships.space.subspace((principal.user_id,))
        begin = scope.range().start
        if cursor is not None:
            begin = key_after(scope.pack(decode_cursor(cursor)))
        rows = tr.get_range(begin, scope.range().stop, limit=limit + 1)
        more, rows = len(rows) > limit, rows[:limit]
        roles = [memberships.codec.decode(row.value) for row in rows]
        found = tenants.get_many(tr, [(m.tenant_id,) for m in roles])
        items = [TenantView(t, m.role) for m, t in zip(roles, found, strict=True) if t]
        last = encode_cursor((roles[-1].tenant_id,)) if more and roles else None
        return Page(items, last)

    return get_database().transact(page)


def tenant_view(*, principal: Principal, tenant_id: uuid.UUID) -> TenantView:
    def read(tr: ReadOperations) -> TenantView:
        role = role_in(tr, principal=principal, tenant_id=tenant_id)
        tenant = tenants.get(tr, tenant_id)
        if tenant is None:
            raise TenantNotFound()
        return TenantView(tenant, role)

    return get_database().transact(read)


def member_list(
    *, principal: Principal, tenant_id: uuid.UUID, limit: int, cursor: str | None = None
) -> Page[Member]:
    check_cursor(cursor)

    def read(tr: ReadOperations) -> Page[Member]:
        require(tr, principal=principal, tenant_id=tenant_id, action=Action.VIEW)
        page = memberships.page_by_index(tr, "by_tenant", (tenant_id,), limit=limit, cursor=cursor)
        people = users.get_many(tr, [(m.user_id,) for m in page.items])
        items = [Member(m, u) for m, u in zip(page.items, people, strict=True) if u]
        return Page(items, page.next_cursor)

    return get_database().transact(read)


def _listing(repository: Any, action: Action):
    def listing(
        *, principal: Principal, tenant_id: uuid.UUID, limit: int, cursor: str | None = None
    ) -> Page[Any]:
        check_cursor(cursor)

        def read(tr: ReadOperations) -> Page[Any]:
            require(tr, principal=principal, tenant_id=tenant_id, action=action)
            return repository.page_by_index(
                tr, "by_tenant", (tenant_id,), limit=limit, cursor=cursor
            )

        return get_database().transact(read)

    return listing


invitation_list: Any = _listing(invitations, Action.INVITE)


@dataclass(frozen=True)
class KeyView:
    key: ApiKey
    last_used_ms: int | None
    secret: str | None = None  # only when just created

    @property
    def last_used(self) -> datetime | None:
        if self.last_used_ms is None:
            return None
        return datetime.fromtimestamp(self.last_used_ms / 1000, tz=UTC)


def api_key_list(
    *, principal: Principal, tenant_id: uuid.UUID, limit: int, cursor: str | None = None
) -> Page[KeyView]:
    """A page of the tenant's API keys, each with its last use: three reads."""
    page = _listing(api_keys, Action.MANAGE_API_KEYS)

    def with_use(tr: ReadOperations) -> list[int | None]:
        raws = tr.get_many([keyspace().api_key_last_used(k.digest) for k in result.items])
        return [None if raw is None else fdbtuple.unpack(raw)[0] for raw in raws]

    result = page(principal=principal, tenant_id=tenant_id, limit=limit, cursor=cursor)
    used = get_database().transact(with_use) if result.items else []
    return Page(
        [KeyView(k, u) for k, u in zip(result.items, used, strict=True)], result.next_cursor
    )


__all__ = ["Invitation", "api_key_list", "invitation_list", "member_list", "tenant_list"]


def tenant_page(*, limit: int, cursor: str | None = None) -> Page[Tenant]:
    """One page of every tenant in id order (operators: ``listtenants``): one range read."""
    check_cursor(cursor)

    def read(tr: ReadOperations) -> Page[Tenant]:
        span = tenants.space.range()
        begin = span.start if cursor is None else key_after(tenants.key(decode_cursor(cursor)))
        rows = tr.get_range(begin, span.stop, limit=limit + 1)
        more, rows = len(rows) > limit, rows[:limit]
        items = [tenants.codec.decode(row.value) for row in rows]
        return Page(items, encode_cursor((items[-1].id,)) if more and items else None)

    return get_database().transact(read)
