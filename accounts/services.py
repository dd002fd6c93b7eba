"""Account use cases: register (or create), log in, log out, change a password,
revoke every token, delete a user, purge expired revocations.

Each owns one transaction, run through the retry loop (deleting a user with
more children than one transaction should hold takes several: ``user_delete``).
Password hashing, the slow part, happens before the transaction, never inside it.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from accounts import passwords
from accounts.avatars import avatar_clear
from accounts.errors import EmailTaken, InvalidCredentials, UserNotFound
from accounts.records import Account, AuthResult, Principal, User, normalize_email
from accounts.repositories import (
    avatars,
    revoked_tokens_purge,
    token_floors_purge,
    token_revoke,
    users,
)
from accounts.revocation import floor_raise, token_jti
from accounts.selectors import user_account_and_floor, user_find
from accounts.tokens import ApiAccessToken
from config.api import clock
from config.api.ids import epoch_ms
from fdbstore import blobs
from fdbstore.connection import get_database
from fdbstore.database import transactional
from fdbstore.errors import UniqueViolation
from fdbstore.purge import PurgeCount
from fdbstore.transaction import Transaction
from sessions_api.hooks import sessions_deleted_committed
from sessions_api.services import tenant_sessions_delete
from tenancy.errors import ApiKeyNotAllowed, LastOwner, TenantNotFound
from tenancy.members import sole_owner_of
from tenancy.records import OWNER, self_tenant_id
from tenancy.services import tenant_delete, tenant_self_create, user_memberships_delete


def user_register(
    *, email: str, password: str, first_name: str, last_name: str, company: str | None = None
) -> AuthResult:
    """Create a user (``user_create``) and return a token for their personal tenant."""
    user = user_create(
        email=email, password=password, first_name=first_name, last_name=last_name, company=company
    )
    return _issue(Account(user, OWNER))


def user_create(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    company: str | None = None,
    validate_password: bool = True,
) -> User:
    """Create a user with their personal tenant and owner membership.

    One transaction writes the user, the email index entry, the tenant and the
    membership; a taken email is ``EmailTaken``. The user id is chosen before
    the retry loop, so a retry after a maybe-committed error (1021
    ``commit_unknown_result``, 1039 ``cluster_version_changed``) finds its own
    email claim and rewrites the same values: it neither duplicates the user
    nor fails. ``validate_password=False`` skips Django's password validators:
    for the guide's demo account only (``demo_seed``)."""
    email = normalize_email(email)
    if validate_password:
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
    return user


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
    after the same hashing work. The user's token floor is read with the user,
    and the token's jti chosen after it (``accounts/revocation.py``)."""
    email = normalize_email(email)
    started = clock.now()  # before the read: see accounts/revocation.py
    account, floor = get_database().transact(lambda tr: _account_by_email(tr, email=email))
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
    return _issue(account, jti=token_jti(started=started, floor_ms=floor))


def _account_by_email(tr: Transaction, *, email: str) -> tuple[Account | None, int | None]:
    pk = users.lookup_unique(tr, "by_email", email)
    if pk is None:
        return None, None
    return user_account_and_floor(tr, user_id=pk[0], tenant_id=self_tenant_id(pk[0]))


@transactional
def _password_hash_replace(tr: Transaction, *, user_id: uuid.UUID, old: str, new: str) -> None:
    """Store an upgraded hash of the same password, unless it changed meanwhile."""
    current = users.get(tr, user_id)
    if current is not None and current.password_hash == old:
        users.update(tr, current, dataclasses.replace(current, password_hash=new))


def _issue(
    account: Account, *, jti: uuid.UUID | None = None, tenant_id: uuid.UUID | None = None
) -> AuthResult:
    user = account.user
    token = ApiAccessToken.issue(
        user_id=user.id,
        tenant_id=tenant_id or self_tenant_id(user.id),
        email=user.email,
        now=clock.now(),
        jti=jti,
    )
    return AuthResult(token=str(token), account=account)


def tenant_switch(*, principal: Principal, tenant_id: uuid.UUID) -> AuthResult:
    """A fresh token acting in ``tenant_id``, for a member of it (``TenantNotFound``
    otherwise, as for any tenant the caller cannot see). The user, their membership
    and their token floor are one batched read; the jti sorts after the floor."""
    if principal.api_key_id is not None:
        raise ApiKeyNotAllowed()
    started = clock.now()
    account, floor = get_database().transact(
        lambda tr: user_account_and_floor(tr, user_id=principal.user_id, tenant_id=tenant_id)
    )
    if account is None:
        raise TenantNotFound()
    return _issue(account, jti=token_jti(started=started, floor_ms=floor), tenant_id=tenant_id)


def user_logout(*, principal: Principal) -> None:
    """Revoke the presented token for the rest of its life (idempotent)."""
    if principal.api_key_id is not None:
        raise ApiKeyNotAllowed("An API key is revoked by deleting it, not by logging out.")
    get_database().transact(
        lambda tr: token_revoke(tr, jti=principal.jti, expires_at=principal.expires_at)
    )


def user_password_change(*, email: str, password: str) -> User:
    """Set a new password and revoke every token the user holds.

    The hash and the user's token floor change in one transaction: every token
    issued before, or by a login that read the old password, is void from then
    on, on every process; a login with the new password gets a live token at
    once (``accounts/revocation.py``). ``UserNotFound``, or ``ValidationFailed``
    with the validators' messages."""
    db = get_database()
    user = user_find(email=email)
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
    floor_raise(tr, user_id=user_id)
    return changed


def tokens_revoke_all(*, email: str) -> tuple[User, int]:
    """Void every token ``email``'s user holds, on every process; return the user and
    their new token floor (epoch milliseconds, ``accounts/revocation.py``)."""
    user = user_find(email=email)
    return user, get_database().transact(lambda tr: floor_raise(tr, user_id=user.id))


DELETE_BATCH = 500  # sessions or memberships per transaction: ~1 MB at most, far from 10 MB


@dataclass(frozen=True)
class UserDeletion:
    user: User
    tenant_id: uuid.UUID
    sessions: int
    memberships: int
    transactions: int


def user_delete(*, email: str, batch_size: int = DELETE_BATCH) -> UserDeletion:
    """Delete a user: their personal tenant with all its sessions (whoever created
    them) and memberships, their memberships in other tenants, the user record and
    its email entry. Their tokens are voided by the first transaction.

    A transaction deletes at most ``batch_size`` sessions and ``batch_size``
    memberships of each kind; while more remain, it deletes only those (FoundationDB
    ends a transaction after 5 s and 10 MB). The transaction that finds the rest
    within bounds deletes it together with the tenant, the user and the email entry,
    so a usual user goes in one transaction. Interrupted, the user is still there
    (with fewer sessions): running it again finishes the job. The token floor is
    kept, so the deleted user's tokens stay void; ``revocations_purge`` drops it
    once they have all expired. Sessions the user created in other tenants belong
    to those tenants and stay. A user who is the only owner of an organisation is
    refused (``LastOwner``), before anything is deleted. The avatar's record goes
    with the user record, and its image's chunks right after (``accounts/avatars.py``)."""
    user = user_find(email=email)
    tenant_id = self_tenant_id(user.id)
    sessions = memberships = transactions = 0
    while True:
        step = _user_delete_step(
            get_database(),
            user_id=user.id,
            tenant_id=tenant_id,
            limit=batch_size,
            revoke=transactions == 0,
        )
        transactions += 1
        sessions, memberships = sessions + step.sessions, memberships + step.memberships
        if step.avatar_blob is not None:
            blobs.blob_delete(get_database(), step.avatar_blob)
        if step.done:
            sessions_deleted_committed()  # their files etc.: sessions_api/hooks.py
            return UserDeletion(user, tenant_id, sessions, memberships, transactions)


@dataclass(frozen=True)
class _Step:
    sessions: int
    memberships: int
    done: bool
    avatar_blob: uuid.UUID | None = None  # retired with the user: delete its chunks


@transactional
def _user_delete_step(
    tr: Transaction, *, user_id: uuid.UUID, tenant_id: uuid.UUID, limit: int, revoke: bool
) -> _Step:
    user = users.get(tr, user_id)
    if user is None:  # deleted meanwhile, or by this step's earlier attempt (1021/1039)
        return _Step(0, 0, done=True)
    if revoke:
        orphaned = sole_owner_of(tr, user_id=user_id)
        if orphaned:
            raise LastOwner(
                "This user is the only owner of organisation(s) "
                f"{', '.join(str(t) for t in orphaned)}: make another member owner, or "
                "delete the organisation, first."
            )
        floor_raise(tr, user_id=user_id)
    sessions, more = tenant_sessions_delete(tr, tenant_id=tenant_id, limit=limit)
    if more:
        return _Step(sessions, 0, done=False)
    memberships, more = tenant_delete(tr, tenant_id=tenant_id, limit=limit)
    if not more:
        elsewhere, more = user_memberships_delete(tr, user_id=user_id, limit=limit)
        memberships += elsewhere
    blob = None
    if not more:
        blob = avatar_clear(tr, user=user, avatar=avatars.get(tr, user_id))
        users.delete(tr, user)
    return _Step(sessions, memberships, done=not more, avatar_blob=blob)


# A floor voids tokens issued until it; they have all expired a token lifetime
# later (plus the few seconds a login takes between its read and its token).
FLOOR_KEPT = ApiAccessToken.lifetime + timedelta(hours=1)


@dataclass(frozen=True)
class RevocationPurge:
    revoked_tokens: PurgeCount
    token_floors: PurgeCount


def revocations_purge(*, dry_run: bool = False, batch_size: int | None = None) -> RevocationPurge:
    """Clear the revocations that void nothing any more: logged-out tokens past their
    expiry, and token floors older than ``FLOOR_KEPT``. Bounded batches, one
    transaction each (``fdbstore/purge.py``); ``dry_run`` only counts."""
    now = clock.now()
    db = get_database()
    return RevocationPurge(
        revoked_tokens=revoked_tokens_purge(
            db, expired_at=int(now.timestamp()), dry_run=dry_run, size=batch_size
        ),
        token_floors=token_floors_purge(
            db, before_ms=epoch_ms(now - FLOOR_KEPT), dry_run=dry_run, size=batch_size
        ),
    )
