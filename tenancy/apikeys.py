"""API keys: create (admin+), revoke, and authenticate a request by one.

A key is ``cdt_`` and 256 random bits, shown once; the store keeps its keyed
digest as the record's key (``api_keys/{digest}``), so authenticating is one
batched read of the record and its last-use time. A key's role is never
above its creator's: capped at creation, lowered when the creator is demoted
(``tenancy.members``), and the key is deleted with the creator's membership.
The last use is written at most once a minute per key, by a blind write in
its own transaction, so busy keys add no read conflicts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from fdb import tuple as fdbtuple

from accounts.records import Principal
from config.api import clock
from config.api.ids import epoch_ms
from fdbstore.connection import get_database
from fdbstore.keys import keyspace
from fdbstore.transaction import Transaction
from tenancy import secrets
from tenancy.access import require
from tenancy.errors import ApiKeyInvalid, ApiKeyNotFound, PermissionDenied
from tenancy.members import MAX_KEYS_PER_MEMBER
from tenancy.permissions import RANK, Action
from tenancy.records import ApiKey
from tenancy.repositories import api_keys

LAST_USED_EVERY_MS = 60_000


@dataclass(frozen=True)
class NewApiKey:
    key: ApiKey
    secret: str  # shown once


def api_key_create(
    *,
    principal: Principal,
    tenant_id: uuid.UUID,
    name: str,
    role: str,
    expires_at: datetime | None = None,
) -> NewApiKey:
    """A new key acting in ``tenant_id`` with ``role`` (at most the creator's)."""
    if principal.api_key_id is not None:
        raise PermissionDenied("An API key cannot create API keys.")
    secret = secrets.new_api_key()
    key = ApiKey(
        id=uuid.uuid4(),
        digest=secrets.digest(secret),
        tenant_id=tenant_id,
        creator_id=principal.user_id,
        creator_email=principal.email,
        name=name,
        prefix=secret[: secrets.SHOWN_PREFIX],
        role=role,
        created_at=clock.now(),
        expires_at=expires_at,
    )

    def create(tr: Transaction) -> None:
        actor = require(tr, principal=principal, tenant_id=tenant_id, action=Action.MANAGE_API_KEYS)
        if RANK[role] > RANK[actor]:
            raise PermissionDenied("A key's role cannot be above yours.")
        scope = api_keys.index("by_creator").space().subspace((principal.user_id, tenant_id))
        made = tr.get_range(scope.range().start, scope.range().stop, limit=MAX_KEYS_PER_MEMBER)
        if len(made) >= MAX_KEYS_PER_MEMBER and key.id not in {
            scope.unpack(r.key)[0] for r in made
        }:
            raise PermissionDenied(f"At most {MAX_KEYS_PER_MEMBER} keys per member and tenant.")
        api_keys.update(tr, api_keys.get(tr, key.digest), key)

    get_database().transact(create)
    return NewApiKey(key, secret)


def api_key_revoke(*, principal: Principal, tenant_id: uuid.UUID, key_id: uuid.UUID) -> None:
    def revoke(tr: Transaction) -> None:
        require(tr, principal=principal, tenant_id=tenant_id, action=Action.MANAGE_API_KEYS)
        pk = api_keys.lookup_unique(tr, "by_tenant", tenant_id, key_id)
        key = None if pk is None else api_keys.get(tr, *pk)
        if key is None:
            raise ApiKeyNotFound()
        api_keys.delete(tr, key)
        tr.clear(keyspace().api_key_last_used(key.digest))

    get_database().transact(revoke)


def api_key_principal(raw: bytes) -> Principal:
    """The principal ``raw`` (``cdt_...``) stands for; ``ApiKeyInvalid`` when it is
    unknown, revoked or expired. One batched read, and a write at most once a minute."""
    try:
        secret = raw.decode("ascii")
    except UnicodeDecodeError:
        raise ApiKeyInvalid() from None
    if len(secret) > secrets.MAX_SECRET:
        raise ApiKeyInvalid()
    digest = secrets.digest(secret)
    ks = keyspace()
    record_key, used_key = ks.api_key(digest), ks.api_key_last_used(digest)
    raw_key, raw_used = get_database().transact(lambda tr: tr.get_many([record_key, used_key]))
    now = clock.now()
    if raw_key is None:
        raise ApiKeyInvalid()
    key = api_keys.codec.decode(raw_key)
    if key.expires_at is not None and key.expires_at <= now:
        raise ApiKeyInvalid("The API key has expired.")
    now_ms = epoch_ms(now)
    if raw_used is None or fdbtuple.unpack(raw_used)[0] + LAST_USED_EVERY_MS <= now_ms:
        get_database().transact(lambda tr: tr.set(used_key, fdbtuple.pack((now_ms,))))
    return Principal(
        user_id=key.creator_id,
        tenant_id=key.tenant_id,
        email=key.creator_email,
        jti="",
        issued_at=int(key.created_at.timestamp()),
        expires_at=0 if key.expires_at is None else int(key.expires_at.timestamp()),
        role=key.role,
        api_key_id=key.id,
    )
