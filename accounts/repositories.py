"""Users and token revocation in fdbstore (key shapes: ``fdbstore/keys.py``)."""

from __future__ import annotations

import uuid

from fdb import tuple as fdbtuple

from accounts.records import Avatar, User
from fdbstore.codec import RecordCodec
from fdbstore.database import Database
from fdbstore.indexes import Index
from fdbstore.keys import keyspace
from fdbstore.purge import PurgeCount, purge_space
from fdbstore.repository import Repository
from fdbstore.transaction import ReadOperations, Transaction


def _user_v1_to_v2(data: dict) -> dict:
    return {**data, "avatar_id": None}  # version 2 added the avatar reference


class UserRepository(Repository[User]):
    """``users/{id}`` with the unique ``users_by_email/{email}`` index."""

    codec = RecordCodec(User, version=2, upgrades={1: _user_v1_to_v2})
    indexes = [
        Index("by_email", lambda: keyspace().users_by_email, lambda u: (u.email,), unique=True)
    ]


users = UserRepository(lambda: keyspace().users, lambda u: (u.id,))


class AvatarRepository(Repository[Avatar]):
    """``avatars/{user_id}``; the image itself is a blob (``fdbstore/blobs.py``)."""

    codec = RecordCodec(Avatar, version=1)


avatars = AvatarRepository(lambda: keyspace().avatars, lambda a: (a.user_id,))


def token_revoke(tr: Transaction, *, jti: str, expires_at: int) -> None:
    """Revoke one token; the value keeps its expiry so a purge can drop it later."""
    tr.set(keyspace().revoked_token(jti), fdbtuple.pack((expires_at,)))


def token_floor_key(user_id: uuid.UUID) -> bytes:
    return keyspace().user_token_floor(user_id)


def token_floor_decode(raw: bytes | None) -> int | None:
    """The floor (epoch milliseconds) a ``token_floor`` value holds; None when unset."""
    return None if raw is None else fdbtuple.unpack(raw)[0]


def token_floor_get(tr: ReadOperations, *, user_id: uuid.UUID) -> int | None:
    return token_floor_decode(tr.get(token_floor_key(user_id)))


def token_floor_set(tr: Transaction, *, user_id: uuid.UUID, ms: int) -> None:
    """Void every token of ``user_id`` whose jti carries a millisecond at or before ``ms``."""
    tr.set(token_floor_key(user_id), fdbtuple.pack((ms,)))


def token_revocation(
    tr: ReadOperations, *, jti: str, user_id: uuid.UUID
) -> tuple[bool, int | None]:
    """Return (is this jti revoked, the user's token floor) in one batched read."""
    revoked, floor = tr.get_many([keyspace().revoked_token(jti), token_floor_key(user_id)])
    return revoked is not None, token_floor_decode(floor)


def revoked_tokens_purge(
    db: Database, *, expired_at: int, dry_run: bool = False, size: int | None = None
) -> PurgeCount:
    """Clear the revocations of tokens whose ``exp`` is at or before ``expired_at``
    (epoch seconds): such a token is refused as expired anyway."""
    return purge_space(
        db,
        keyspace().revoked_tokens,
        lambda _key, value: fdbtuple.unpack(value)[0] <= expired_at,
        dry_run=dry_run,
        size=size,
    )


def token_floors_purge(
    db: Database, *, before_ms: int, dry_run: bool = False, size: int | None = None
) -> PurgeCount:
    """Clear the token floors below ``before_ms``. The batch reads are conflict-checked,
    so a floor raised meanwhile is never cleared."""
    return purge_space(
        db,
        keyspace().token_floor,
        lambda _key, value: fdbtuple.unpack(value)[0] < before_ms,
        dry_run=dry_run,
        size=size,
    )
