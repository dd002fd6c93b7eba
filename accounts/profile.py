"""Self-service use cases: update your profile, change your email or password.

Each check of the current password hashes outside any transaction (the slow
part); the transaction that writes then re-reads the user and refuses to go on
if the hash changed meanwhile (a concurrent password change), so a write is
never made on the strength of a password that is no longer the user's.

An email change and a password change raise the user's token floor in the
same transaction as the record (``accounts/revocation.py``): every token
issued before is void on every process, and the fresh token returned is
issued after the floor, so the caller stays logged in.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime
from typing import Any

from accounts import passwords
from accounts.errors import EmailTaken, InvalidCredentials, TokenInvalid
from accounts.records import Account, AuthResult, Principal, User, normalize_email
from accounts.repositories import users
from accounts.revocation import floor_raise, token_jti
from accounts.selectors import user_account
from accounts.tokens import ApiAccessToken
from config.api import clock
from config.api.errors import ValidationFailed
from fdbstore.connection import get_database
from fdbstore.database import transactional
from fdbstore.errors import UniqueViolation
from fdbstore.transaction import Transaction
from tenancy.errors import ApiKeyNotAllowed

PROFILE_FIELDS = ("first_name", "last_name", "company")


class PasswordChanged(InvalidCredentials):
    """The password checked is no longer the user's: changed by another request."""


def user_profile_update(
    *, principal: Principal, changes: dict[str, Any], current_password: str | None = None
) -> Account | AuthResult:
    """Apply ``changes`` (``first_name``, ``last_name``, ``company``, ``email``) to the
    token's user; return the account, or with ``email`` an ``AuthResult`` with a
    fresh token (every older one is void once the email changed).

    ``current_password``, when given, is checked first (``InvalidCredentials``);
    an email change requires it. A taken email is ``EmailTaken``."""
    refuse_api_keys(principal)
    checked = _checked_user(principal, current_password) if current_password is not None else None
    changes = dict(changes)
    if "company" in changes:
        changes["company"] = changes["company"] or None
    email = changes.pop("email", None)
    if email is not None:
        changes["email"] = normalize_email(email)
        if checked is None:
            raise ValidationFailed(details={"currentPassword": ["Required to change the email."]})
    started = clock.now()  # before the read: see accounts/revocation.py
    account, floor = _profile_write(
        get_database(),
        user_id=principal.user_id,
        tenant_id=principal.tenant_id,
        changes=changes,
        expected_hash=None if checked is None else checked.password_hash,
        now=started,
    )
    if email is None:
        return account
    return _fresh_token(account, principal=principal, started=started, floor=floor)


def user_password_replace(
    *, principal: Principal, current_password: str, new_password: str
) -> AuthResult:
    """Check ``current_password``, then set ``new_password`` (Django's validators,
    messages under ``newPassword``); every other token of the user is void at once,
    and the result carries a fresh one."""
    refuse_api_keys(principal)
    user = _checked_user(principal, current_password)
    if new_password == current_password:
        raise ValidationFailed(
            details={"newPassword": ["The new password must differ from the current one."]}
        )
    try:
        passwords.validate(
            new_password, email=user.email, first_name=user.first_name, last_name=user.last_name
        )
    except ValidationFailed as exc:
        raise ValidationFailed(details={"newPassword": exc.details["password"]}) from None
    started = clock.now()
    account, floor = _profile_write(
        get_database(),
        user_id=principal.user_id,
        tenant_id=principal.tenant_id,
        changes={"password_hash": passwords.make(new_password)},
        expected_hash=user.password_hash,
        now=started,
    )
    return _fresh_token(account, principal=principal, started=started, floor=floor)


def refuse_api_keys(principal: Principal) -> None:
    """Your own account is changed with your token, never with an organisation's API key."""
    if principal.api_key_id is not None:
        raise ApiKeyNotAllowed("An API key cannot change its creator's account; use a token.")


def _checked_user(principal: Principal, password: str) -> User:
    """The token's user if ``password`` is theirs; ``InvalidCredentials`` otherwise."""
    user = get_database().transact(lambda tr: users.get(tr, principal.user_id))
    if user is None:
        passwords.burn(password)
        raise TokenInvalid("The token's user no longer exists.")
    # No hash upgrade here: the write below compares the hash it was checked against.
    if not passwords.check(password, user.password_hash, upgrade=lambda _new: None):
        raise InvalidCredentials("The current password is incorrect.")
    return user


@transactional
def _profile_write(
    tr: Transaction,
    *,
    user_id: uuid.UUID,
    tenant_id: uuid.UUID,
    changes: dict[str, Any],
    expected_hash: str | None,
    now: datetime,
) -> tuple[Account, int | None]:
    """Write ``changes`` to the user and return their account in ``tenant_id``, with the
    new token floor when the email or password is set (None otherwise).

    Safe to retry after a maybe-committed error (1021, 1039): the same changes
    again find the user already changed (the new hash is not the expected one
    but the one being set; the unique claim on the new email is the user's
    own), write the same values and raise the floor once more."""
    account = user_account(tr, user_id=user_id, tenant_id=tenant_id)
    if account is None:
        raise TokenInvalid("The token's user or tenant no longer exists.")
    current = account.user
    known = (expected_hash, changes.get("password_hash"))
    if expected_hash is not None and current.password_hash not in known:
        raise PasswordChanged("The password changed meanwhile; log in again.")
    updated = dataclasses.replace(current, **changes)
    if updated != current:
        updated = dataclasses.replace(updated, updated_at=now)
        try:
            users.update(tr, current, updated)
        except UniqueViolation:
            raise EmailTaken() from None
    revoke = "email" in changes or "password_hash" in changes
    floor = floor_raise(tr, user_id=user_id) if revoke else None
    return Account(updated, account.role), floor


def _fresh_token(
    account: Account, *, principal: Principal, started: datetime, floor: int | None
) -> AuthResult:
    """A token for the caller's tenant whose jti sorts after the new floor."""
    token = ApiAccessToken.issue(
        user_id=account.user.id,
        tenant_id=principal.tenant_id,
        email=account.user.email,
        now=clock.now(),
        jti=token_jti(started=started, floor_ms=floor),
    )
    return AuthResult(token=str(token), account=account)
