"""Users and token revocation in fdbstore (key shapes: ``fdbstore/keys.py``)."""

from __future__ import annotations

import uuid

from fdb import tuple as fdbtuple

from accounts.records import User
from fdbstore.codec import RecordCodec
from fdbstore.indexes import Index
from fdbstore.keys import keyspace
from fdbstore.repository import Repository
from fdbstore.transaction import ReadOperations, Transaction


class UserRepository(Repository[User]):
    """``users/{id}`` with the unique ``users_by_email/{email}`` index."""

    codec = RecordCodec(User, version=1)
    indexes = [
        Index("by_email", lambda: keyspace().users_by_email, lambda u: (u.email,), unique=True)
    ]


users = UserRepository(lambda: keyspace().users, lambda u: (u.id,))


def token_revoke(tr: Transaction, *, jti: str, expires_at: int) -> None:
    """Revoke one token; the value keeps its expiry so a purge can drop it later."""
    tr.set(keyspace().revoked_token(jti), fdbtuple.pack((expires_at,)))


def token_floor_set(tr: Transaction, *, user_id: uuid.UUID, second: int) -> None:
    """Void every token of ``user_id`` issued at or before epoch second ``second``."""
    tr.set(keyspace().user_token_floor(user_id), fdbtuple.pack((second,)))


def token_revocation(
    tr: ReadOperations, *, jti: str, user_id: uuid.UUID
) -> tuple[bool, int | None]:
    """Return (is this jti revoked, the user's token floor) in one batched read."""
    ks = keyspace()
    revoked, floor = tr.get_many([ks.revoked_token(jti), ks.user_token_floor(user_id)])
    return revoked is not None, None if floor is None else fdbtuple.unpack(floor)[0]
