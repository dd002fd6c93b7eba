"""Invitation use cases: invite, withdraw, accept, purge the expired.

There is no mail: ``invitation_create`` returns the code, shown this once,
and the inviter passes it on. Only its keyed digest is stored. Accepting
reads the code's index entry and deletes the invitation in the transaction
that writes the membership, so of two accepts racing on one code, one commits
and the other conflicts, retries, and finds no invitation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from fdb import tuple as fdbtuple

from accounts.records import Principal, normalize_email
from accounts.repositories import users
from config.api import clock
from config.api.ids import epoch_ms
from fdbstore.connection import get_database
from fdbstore.purge import PurgeCount
from fdbstore.transaction import Transaction, key_after
from tenancy import secrets
from tenancy.access import require
from tenancy.errors import (
    AlreadyMember,
    InvitationInvalid,
    InvitationNotFound,
    PermissionDenied,
    PersonalTenant,
    TenantNotFound,
)
from tenancy.permissions import OWNER, Action
from tenancy.records import ORGANIZATION, Invitation, Membership
from tenancy.repositories import invitations, memberships, tenants


@dataclass(frozen=True)
class NewInvitation:
    invitation: Invitation
    code: str  # shown once


def invitation_create(
    *, principal: Principal, tenant_id: uuid.UUID, email: str, role: str
) -> NewInvitation:
    """Invite ``email`` with ``role`` (admin+; only an owner invites an owner)."""
    code = secrets.new_invitation_code()
    now = clock.now()
    invitation = Invitation(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        email=normalize_email(email),
        role=role,
        code_digest=secrets.digest(code),
        inviter_id=principal.user_id,
        created_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_TTL_DAYS),
    )

    def create(tr: Transaction) -> None:
        actor = require(tr, principal=principal, tenant_id=tenant_id, action=Action.INVITE)
        if role == OWNER and actor != OWNER:
            raise PermissionDenied("Only an owner may invite an owner.")
        tenant = tenants.get(tr, tenant_id)
        if tenant is None:
            raise TenantNotFound()
        if tenant.kind != ORGANIZATION:
            raise PersonalTenant()
        invitations.update(tr, invitations.get(tr, invitation.id), invitation)

    get_database().transact(create)
    return NewInvitation(invitation, code)


def invitation_withdraw(
    *, principal: Principal, tenant_id: uuid.UUID, invitation_id: uuid.UUID
) -> None:
    def withdraw(tr: Transaction) -> None:
        require(tr, principal=principal, tenant_id=tenant_id, action=Action.INVITE)
        invitation = invitations.get(tr, invitation_id)
        if invitation is None or invitation.tenant_id != tenant_id:
            raise InvitationNotFound()
        invitations.delete(tr, invitation)

    get_database().transact(withdraw)


def invitation_accept(*, principal: Principal, code: str) -> Membership:
    """Join the invitation's tenant; the caller's email must be the invited one."""
    if principal.api_key_id is not None:
        raise PermissionDenied("An API key cannot accept invitations.")
    if len(code) > secrets.MAX_SECRET:
        raise InvitationInvalid()
    code_digest = secrets.digest(code)
    now = clock.now()

    def accept(tr: Transaction) -> Membership:
        pk = invitations.lookup_unique(tr, "by_code", code_digest)
        invitation = None if pk is None else invitations.get(tr, *pk)
        user = users.get(tr, principal.user_id)
        if invitation is None or user is None or invitation.expires_at <= now:
            raise InvitationInvalid()
        if normalize_email(user.email) != invitation.email:
            raise InvitationInvalid()
        if memberships.get(tr, user.id, invitation.tenant_id) is not None:
            raise AlreadyMember()
        if tenants.get(tr, invitation.tenant_id) is None:
            raise InvitationInvalid()
        membership = Membership(
            user_id=user.id, tenant_id=invitation.tenant_id, role=invitation.role, created_at=now
        )
        memberships.insert(tr, membership)
        invitations.delete(tr, invitation)
        return membership

    return get_database().transact(accept)


def invitations_purge(*, dry_run: bool = False, batch_size: int | None = None) -> PurgeCount:
    """Delete invitations past their expiry, oldest first, through the expiry index:
    one bounded range read and one batched read per transaction."""
    size = batch_size or 500
    space = invitations.index("by_expiry").space()
    begin, end = space.range().start, space.pack((epoch_ms(clock.now()),))
    total = 0
    while True:

        def batch(tr: Transaction, b: bytes = begin) -> list:
            rows = tr.get_range(b, end, limit=size)
            found = invitations.get_many(tr, [fdbtuple.unpack(row.value) for row in rows])
            for row, invitation in zip(rows, found, strict=True):
                if dry_run:
                    continue
                if invitation is None:
                    tr.clear(row.key)  # an orphaned entry: nothing else to delete
                else:
                    invitations.delete(tr, invitation)
            return rows

        rows = get_database().transact(batch)
        total += len(rows)
        if len(rows) < size:
            return PurgeCount(total, total)
        begin = key_after(rows[-1].key)
