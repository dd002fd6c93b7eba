"""``fdbstore_check`` for avatars: the user record, the avatar record and the blob agree.

Reported as the repository ``accounts.avatars`` (an ``IndexReport``):

- an **orphan** is an ``avatars/{user_id}`` record that its user does not
  reference (the user is gone, or their ``avatar_id`` names another blob), or
  whose blob is incomplete (missing chunks) or still pending;
- a **missing** entry is a user whose ``avatar_id`` has no avatar record.

``--repair`` re-checks each finding in its own transaction, then removes the
orphan record (retiring its blob, whose chunks are deleted right after) or
clears the user's dangling ``avatar_id``: the user is left without an avatar,
never with a broken one.
"""

from __future__ import annotations

import dataclasses
import math
import uuid

from accounts.records import Avatar
from accounts.repositories import avatars, users
from fdbstore import blobs
from fdbstore.checks import IndexReport
from fdbstore.codec import CodecError
from fdbstore.database import Database
from fdbstore.keys import keyspace
from fdbstore.scan import batches
from fdbstore.transaction import ReadOperations, Transaction

NAME = "accounts.avatars"


def avatars_check(db: Database, *, repair: bool = False) -> IndexReport:
    report = IndexReport(NAME)
    span = avatars.space.range()
    for batch in batches(db, span.start, span.stop):
        for row in batch:
            report.records += 1
            try:
                avatar = avatars.codec.decode(row.value)
            except CodecError:
                report.undecodable.append(row.key)
                continue
            if db.transact(lambda tr, a=avatar: _broken(tr, a)):
                report.orphans.append(("avatar", row.key))
    span = users.space.range()
    for batch in batches(db, span.start, span.stop):
        for row in batch:
            try:
                user = users.codec.decode(row.value)
            except CodecError:
                continue  # the users repository's own check reports it
            if user.avatar_id is not None:
                key = avatars.key((user.id,))
                if db.transact(lambda tr, k=key: tr.snapshot.get(k)) is None:
                    report.missing.append(("avatar", row.key, b""))
    if repair:
        report.repaired = _repair(db, report)
    return report


def _broken(tr: ReadOperations, avatar: Avatar) -> bool:
    """True when ``avatar`` is not its user's current, complete, published avatar."""
    user = users.get(tr, avatar.user_id)
    if user is None or user.avatar_id != avatar.blob_id:
        return True
    if blobs.blob_is_pending(tr, avatar.blob_id):
        return True
    chunks = keyspace().blob_chunks.subspace((avatar.blob_id,)).range()
    want = math.ceil(avatar.size / blobs.CHUNK_SIZE)
    found = tr.get_range(chunks.start, chunks.stop, limit=want + 1)
    return len(found) != want or sum(len(row.value) for row in found) != avatar.size


def _repair(db: Database, report: IndexReport) -> int:
    fixed = 0
    for _name, key in report.orphans:
        blob_id = db.transact(lambda tr, k=key: _drop_orphan(tr, k))
        if blob_id is not None:
            blobs.blob_delete(db, blob_id)
            fixed += 1
    for _name, key, _value in report.missing:
        fixed += db.transact(lambda tr, k=key: _clear_reference(tr, k))
    return fixed


def _drop_orphan(tr: Transaction, key: bytes) -> uuid.UUID | None:
    raw = tr.get(key)
    if raw is None:
        return None
    avatar = avatars.codec.decode(raw)
    if not _broken(tr, avatar):
        return None
    avatars.delete(tr, avatar)
    user = users.get(tr, avatar.user_id)
    if user is not None and user.avatar_id == avatar.blob_id:
        users.update(tr, user, dataclasses.replace(user, avatar_id=None))
    blobs.blob_retire(tr, avatar.blob_id)
    return avatar.blob_id


def _clear_reference(tr: Transaction, user_key: bytes) -> bool:
    raw = tr.get(user_key)
    if raw is None:
        return False
    user = users.codec.decode(raw)
    if user.avatar_id is None or tr.get(avatars.key((user.id,))) is not None:
        return False
    users.update(tr, user, dataclasses.replace(user, avatar_id=None))
    return True
