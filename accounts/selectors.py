"""Account reads."""

from __future__ import annotations

import uuid

from accounts.errors import TokenInvalid
from accounts.records import Account, Principal, User
from accounts.repositories import token_revocation, users
from fdbstore.connection import get_database
from fdbstore.database import transactional
from fdbstore.transaction import ReadOperations
from tenancy.repositories import memberships


def token_is_revoked(*, principal: Principal) -> bool:
    """True when the token was logged out, or issued at or before the user's
    last password change (a strict rule: a token issued in the very second of
    the change is void too, since ``iat`` has one-second resolution)."""
    revoked, floor = _revocation(get_database(), jti=principal.jti, user_id=principal.user_id)
    return revoked or (floor is not None and principal.issued_at <= floor)


@transactional
def _revocation(tr, *, jti: str, user_id: uuid.UUID) -> tuple[bool, int | None]:
    return token_revocation(tr, jti=jti, user_id=user_id)


def user_account(tr: ReadOperations, *, user_id: uuid.UUID, tenant_id: uuid.UUID) -> Account | None:
    """The user and their role in ``tenant_id``, in one batched read; None if either is missing."""
    raw_user, raw_membership = tr.get_many(
        [users.key((user_id,)), memberships.key((user_id, tenant_id))]
    )
    if raw_user is None or raw_membership is None:
        return None
    return Account(users.codec.decode(raw_user), memberships.codec.decode(raw_membership).role)


def user_me(*, principal: Principal) -> Account:
    """The current user as the token's tenant sees them."""
    account = get_database().transact(
        lambda tr: user_account(tr, user_id=principal.user_id, tenant_id=principal.tenant_id)
    )
    if account is None:
        raise TokenInvalid("The token's user or tenant no longer exists.")
    return account


def user_get_by_email(tr: ReadOperations, *, email: str) -> User | None:
    """The user with normalised ``email``, or None (two reads: index, then record)."""
    pk = users.lookup_unique(tr, "by_email", email)
    return None if pk is None else users.get(tr, *pk)
