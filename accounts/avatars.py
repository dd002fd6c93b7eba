"""Avatars: set, remove and read a user's avatar image.

The re-encoded image (``accounts/images.py``) is a blob (``fdbstore/blobs.py``):
written in chunks under a fresh blob id, then published in one small
transaction that also writes the ``avatars/{user_id}`` record and the user
record's ``avatar_id``, and retires the previous blob. After that commit the
previous blob's chunks are deleted, so replacing an avatar leaves nothing of
the old one; a process that dies in between leaves a retired blob that
``purge_expired`` clears. A new blob that never gets published (its
transaction failed) is deleted at once, or left to the same purge.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import uuid
from datetime import datetime

from accounts.errors import TokenInvalid
from accounts.images import avatar_encode
from accounts.records import Avatar, User
from accounts.repositories import avatars, users
from config.api import clock
from fdbstore import blobs
from fdbstore.connection import get_database
from fdbstore.database import Database, transactional
from fdbstore.transaction import ReadOperations, Transaction

logger = logging.getLogger(__name__)

# The encoded WebP is far smaller (a 512x512 WebP is tens of KB); this bounds the blob.
MAX_ENCODED_BYTES = 2 * 1024 * 1024


def avatar_url(user: User) -> str | None:
    """The avatar's path, versioned by its blob id so it can be cached for long."""
    if user.avatar_id is None:
        return None
    return f"/api/v5/users/{user.id}/avatar?v={user.avatar_id.hex}"


def avatar_set(*, user_id: uuid.UUID, data: bytes, declared: str | None) -> User:
    """Check and re-encode ``data`` (``InvalidImage`` otherwise), store it as the user's
    avatar, delete the previous one; return the updated user."""
    image = avatar_encode(data, declared=declared)
    db = get_database()
    blob = blobs.blob_write(db, [image.data], max_bytes=MAX_ENCODED_BYTES)
    avatar = Avatar(
        user_id=user_id,
        blob_id=blob.id,
        media_type=image.media_type,
        size=blob.size,
        digest=hashlib.sha256(image.data).hexdigest(),
        width=image.width,
        height=image.height,
        updated_at=clock.now(),
    )
    replaced: dict[str, uuid.UUID | None] = {}
    try:
        user = _avatar_publish(db, avatar=avatar, replaced=replaced)
    except BaseException:
        _delete_quietly(db, blob.id)
        raise
    if replaced.get("blob_id") is not None:
        blobs.blob_delete(db, replaced["blob_id"])
    return user


@transactional
def _avatar_publish(
    tr: Transaction, *, avatar: Avatar, replaced: dict[str, uuid.UUID | None]
) -> User:
    """Point the user at the new blob, publish it, retire the old one (one transaction).

    Retried after a maybe-committed error, it finds its own blob already in place
    and keeps the old blob id the first attempt saw in ``replaced``."""
    user, current = _user_and_avatar(tr, avatar.user_id)
    if current is not None and current.blob_id != avatar.blob_id:
        blobs.blob_retire(tr, current.blob_id)
        replaced["blob_id"] = current.blob_id
    blobs.blob_publish(tr, avatar.blob_id)
    avatars.update(tr, current, avatar)
    changed = dataclasses.replace(user, avatar_id=avatar.blob_id, updated_at=avatar.updated_at)
    users.update(tr, user, changed)
    return changed


def avatar_remove(*, user_id: uuid.UUID) -> User:
    """Remove the user's avatar, if any (idempotent); return the updated user."""
    db = get_database()
    user, old = _avatar_unlink(db, user_id=user_id, now=clock.now())
    if old is not None:
        blobs.blob_delete(db, old)
    return user


@transactional
def _avatar_unlink(
    tr: Transaction, *, user_id: uuid.UUID, now: datetime
) -> tuple[User, uuid.UUID | None]:
    user, current = _user_and_avatar(tr, user_id)
    if current is None:
        return user, None
    avatar_clear(tr, user=user, avatar=current)
    changed = dataclasses.replace(user, avatar_id=None, updated_at=now)
    users.update(tr, user, changed)
    return changed, current.blob_id


def avatar_clear(tr: Transaction, *, user: User, avatar: Avatar | None) -> uuid.UUID | None:
    """Unlink and retire ``avatar`` in ``tr`` (the user record is the caller's); return
    the blob to ``blob_delete`` after commit. For ``user_delete``."""
    if avatar is None:
        return None
    avatars.delete(tr, avatar)
    blobs.blob_retire(tr, avatar.blob_id)
    return avatar.blob_id


def _user_and_avatar(tr: ReadOperations, user_id: uuid.UUID) -> tuple[User, Avatar | None]:
    raw_user, raw_avatar = tr.get_many([users.key((user_id,)), avatars.key((user_id,))])
    if raw_user is None:
        raise TokenInvalid("The token's user no longer exists.")
    avatar = None if raw_avatar is None else avatars.codec.decode(raw_avatar)
    return users.codec.decode(raw_user), avatar


def _delete_quietly(db: Database, blob_id: uuid.UUID) -> None:
    try:
        blobs.blob_delete(db, blob_id)
    except Exception:  # its pending marker stays: purge_expired finishes the job
        logger.warning("avatar blob %s left for purge_expired", blob_id, exc_info=True)


# -- reads ----------------------------------------------------------------------------


def avatar_get(*, user_id: uuid.UUID) -> Avatar | None:
    """The user's avatar record, or None (one snapshot read)."""
    key = avatars.key((user_id,))
    raw = get_database().transact(lambda tr: tr.snapshot.get(key))
    return None if raw is None else avatars.codec.decode(raw)


def avatar_bytes(avatar: Avatar) -> bytes:
    """The stored image (``BlobMissing`` if it was replaced while being read), from
    the handle's blob cache when it holds it."""
    db = get_database()
    return db.blob_cache.get_or_read(
        avatar.blob_id, lambda: b"".join(blobs.blob_read(db, avatar.blob_id, avatar.size))
    )
