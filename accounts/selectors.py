"""Account reads."""

from __future__ import annotations

import uuid

from accounts.errors import TokenInvalid, UserNotFound
from accounts.records import Account, Principal, User, normalize_email
from accounts.repositories import token_floor_decode, token_floor_key, token_revocation, users
from accounts.revocation import is_voided
from config.api.errors import ValidationFailed
from fdbstore.connection import get_database
from fdbstore.cursors import InvalidCursor, decode_cursor
from fdbstore.database import transactional
from fdbstore.keys import keyspace
from fdbstore.repository import Page
from fdbstore.transaction import ReadOperations
from tenancy.repositories import memberships


def token_access(*, principal: Principal) -> str | None:
    """The role a token's principal holds now, in one batched read; None when the token
    is revoked or voided, or its user is no longer a member of its tenant.

    In the user's personal tenant the role (owner) comes with the token, and the read
    is the revocation pair alone; in an organisation the membership is the third key
    of the same read, so a removal or a demotion is seen on the very next request."""
    if principal.role is not None:  # personal: the token's principal carries it
        return None if token_is_revoked(principal=principal) else principal.role
    revoked, floor, membership = _access(
        get_database(), jti=principal.jti, user_id=principal.user_id, tenant_id=principal.tenant_id
    )
    if revoked or is_voided(jti=principal.jti, floor_ms=floor) or membership is None:
        return None
    return memberships.codec.decode(membership).role


@transactional
def _access(
    tr, *, jti: str, user_id: uuid.UUID, tenant_id: uuid.UUID
) -> tuple[bool, int | None, bytes | None]:
    revoked, floor, membership = tr.get_many(
        [
            keyspace().revoked_token(jti),
            token_floor_key(user_id),
            memberships.key((user_id, tenant_id)),
        ]
    )
    return revoked is not None, token_floor_decode(floor), membership


def token_is_revoked(*, principal: Principal) -> bool:
    """True when the token was logged out, or its jti is at or before the user's
    token floor (a password change, ``revoke_tokens``: ``accounts/revocation.py``).
    One batched read of the two keys."""
    revoked, floor = _revocation(get_database(), jti=principal.jti, user_id=principal.user_id)
    return revoked or is_voided(jti=principal.jti, floor_ms=floor)


@transactional
def _revocation(tr, *, jti: str, user_id: uuid.UUID) -> tuple[bool, int | None]:
    return token_revocation(tr, jti=jti, user_id=user_id)


def user_account(tr: ReadOperations, *, user_id: uuid.UUID, tenant_id: uuid.UUID) -> Account | None:
    """The user and their role in ``tenant_id``, in one batched read; None if either is missing."""
    raw_user, raw_membership = tr.get_many(
        [users.key((user_id,)), memberships.key((user_id, tenant_id))]
    )
    return _account(raw_user, raw_membership)


def user_account_and_floor(
    tr: ReadOperations, *, user_id: uuid.UUID, tenant_id: uuid.UUID
) -> tuple[Account | None, int | None]:
    """``user_account`` and the user's token floor, in the same one batched read."""
    raw_user, raw_membership, raw_floor = tr.get_many(
        [users.key((user_id,)), memberships.key((user_id, tenant_id)), token_floor_key(user_id)]
    )
    return _account(raw_user, raw_membership), token_floor_decode(raw_floor)


def _account(raw_user: bytes | None, raw_membership: bytes | None) -> Account | None:
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
    if principal.api_key_id is not None and principal.role is not None:
        return Account(account.user, principal.role)  # a key acts with its own role
    return account


def user_get_by_email(tr: ReadOperations, *, email: str) -> User | None:
    """The user with normalised ``email``, or None (two reads: index, then record)."""
    pk = users.lookup_unique(tr, "by_email", email)
    return None if pk is None else users.get(tr, *pk)


def user_find(*, email: str) -> User:
    """The user with ``email`` (normalised here); ``UserNotFound`` naming it otherwise."""
    email = normalize_email(email)
    user = get_database().transact(lambda tr: user_get_by_email(tr, email=email))
    if user is None:
        raise UserNotFound(f"No user with email {email}.")
    return user


def user_list(*, limit: int, cursor: str | None = None) -> Page[User]:
    """One page of users in email order, and the cursor of the next (None on the last).

    One bounded range read of the ``users_by_email`` index and one batched read
    of those users, in one transaction, whatever the number of users."""
    if cursor is not None:
        _check_email_cursor(cursor)
    return get_database().transact(
        lambda tr: users.page_by_index(tr, "by_email", (), limit=limit, cursor=cursor)
    )


def _check_email_cursor(cursor: str) -> None:
    try:
        suffix = decode_cursor(cursor)
    except InvalidCursor:
        suffix = ()
    if len(suffix) != 1 or not isinstance(suffix[0], str):
        raise ValidationFailed(
            "The cursor is not valid.", details={"cursor": ["This cursor is not valid."]}
        )
