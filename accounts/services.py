"""Account use cases: register, log in, log out, change a password.

Each owns one transaction, run through the retry loop. Password hashing,
the slow part, happens before the transaction, never inside it.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime

from accounts import passwords
from accounts.errors import EmailTaken, InvalidCredentials, UserNotFound
from accounts.records import Account, AuthResult, Principal, User, normalize_email
from accounts.repositories import token_floor_set, token_revoke, users
from accounts.selectors import user_account, user_get_by_email
from accounts.tokens import ApiAccessToken
from config.api import clock
from fdbstore.connection import get_database
from fdbstore.database import transactional
from fdbstore.errors import UniqueViolation
from fdbstore.transaction import Transaction
from tenancy.records import OWNER, self_tenant_id
from tenancy.services import tenant_self_create


def user_register(
    *, email: str, password: str, first_name: str, last_name: str, company: str | None = None
) -> AuthResult:
    """Create a user with their personal tenant and owner membership; return a token.

    One transaction writes the user, the email index entry, the tenant and the
    membership. The user id is chosen before the retry loop, so a retry after
    ``commit_unknown_result`` finds its own email claim and rewrites the same
    values: it neither duplicates the user nor fails."""
    email = normalize_email(email)
    passwords.validate(password, email=email, first_name=first_name, last_name=last_name)
    now = clock.now()
    user = User(
        id=uuid.uuid4(),
        email=email,
        first_name=first_name,
        last_name=last_name,
        company=company or None,
        password_hash=passwords.make(password),
        created_at=now,
        updated_at=now,
    )
    _user_insert(get_database(), user=user)
    return _issue(Account(user, OWNER))


@transactional
def _user_insert(tr: Transaction, *, user: User) -> None:
    try:
        users.insert(tr, user)
    except UniqueViolation:
        raise EmailTaken() from None
    tenant_self_create(tr, owner_id=user.id, name=user.name or user.email, now=user.created_at)


def user_login(*, email: str, password: str) -> AuthResult:
    """Check the credentials and return a token for the user's personal tenant.

    An unknown email and a wrong password raise the same ``InvalidCredentials``
    after the same hashing work."""
    email = normalize_email(email)
    account = get_database().transact(lambda tr: _account_by_email(tr, email=email))
    if account is None:
        passwords.burn(password)
        raise InvalidCredentials()
    user = account.user

    def upgrade(new_hash: str) -> None:
        _password_hash_replace(
            get_database(), user_id=user.id, old=user.password_hash, new=new_hash
        )

    if not passwords.check(password, user.password_hash, upgrade=upgrade):
        raise InvalidCredentials()
    return _issue(account)


def _account_by_email(tr: Transaction, *, email: str) -> Account | None:
    pk = users.lookup_unique(tr, "by_email", email)
    if pk is None:
        return None
    return user_account(tr, user_id=pk[0], tenant_id=self_tenant_id(pk[0]))


@transactional
def _password_hash_replace(tr: Transaction, *, user_id: uuid.UUID, old: str, new: str) -> None:
    """Store an upgraded hash of the same password, unless it changed meanwhile."""
    current = users.get(tr, user_id)
    if current is not None and current.password_hash == old:
        users.update(tr, current, dataclasses.replace(current, password_hash=new))


def _issue(account: Account) -> AuthResult:
    user = account.user
    token = ApiAccessToken.issue(
        user_id=user.id, tenant_id=self_tenant_id(user.id), email=user.email, now=clock.now()
    )
    return AuthResult(token=str(token), account=account)


def user_logout(*, principal: Principal) -> None:
    """Revoke the presented token for the rest of its life (idempotent)."""
    get_database().transact(
        lambda tr: token_revoke(tr, jti=principal.jti, expires_at=principal.expires_at)
    )


def user_password_change(*, email: str, password: str) -> User:
    """Set a new password and revoke every token the user holds.

    Tokens issued at or before the second of the change are void from now on,
    on every process (the ``token_floor``)."""
    db = get_database()
    user = db.transact(lambda tr: user_get_by_email(tr, email=normalize_email(email)))
    if user is None:
        raise UserNotFound()
    passwords.validate(
        password, email=user.email, first_name=user.first_name, last_name=user.last_name
    )
    return _password_set(
        db, user_id=user.id, password_hash=passwords.make(password), now=clock.now()
    )


@transactional
def _password_set(
    tr: Transaction, *, user_id: uuid.UUID, password_hash: str, now: datetime
) -> User:
    current = users.get(tr, user_id)
    if current is None:
        raise UserNotFound()
    changed = dataclasses.replace(current, password_hash=password_hash, updated_at=now)
    users.update(tr, current, changed)
    token_floor_set(tr, user_id=user_id, second=int(now.timestamp()))
    return changed
