"""The accounts' part of a tenant dump (``fdbstore_dump --tenant``): each member's
avatar record and the chunks of its blob.

Registered with ``fdbstore.scopes.register_tenant_space``; each reader yields
its space's pairs in ascending key order (member ids and blob ids sorted as
their tuple encodings sort: by their 16 bytes). The members are the tenant's
``tenant_users`` entries, the blob id is the avatar record's ``blob_id``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from accounts.repositories import avatars
from fdbstore import scan
from fdbstore.codec import CodecError
from fdbstore.database import Database
from fdbstore.keys import keyspace
from fdbstore.scopes import register_tenant_space
from fdbstore.transaction import KeyValue


def _prefix(db: Database, space: Any) -> Iterator[KeyValue]:
    span = space.range()
    yield from scan.pairs(db, span.start, span.stop)


def _members(db: Database, tenant: uuid.UUID) -> list[uuid.UUID]:
    space = keyspace().tenant_users
    ids = (space.unpack(row.key)[1] for row in _prefix(db, space.subspace((tenant,))))
    return sorted(dict.fromkeys(ids))


def avatar_records(db: Database, tenant: uuid.UUID, sessions: list[Any]) -> Iterator[KeyValue]:
    """The members' avatar records (in batches of snapshot reads)."""
    keys = [keyspace().avatar(member) for member in _members(db, tenant)]
    for i in range(0, len(keys), scan.BATCH):
        chunk = keys[i : i + scan.BATCH]
        values = db.transact(lambda tr, c=chunk: tr.snapshot.get_many(c))
        yield from (KeyValue(k, v) for k, v in zip(chunk, values, strict=True) if v is not None)


def avatar_chunks(db: Database, tenant: uuid.UUID, sessions: list[Any]) -> Iterator[KeyValue]:
    """The chunks of the members' avatar blobs."""
    named: set[uuid.UUID] = set()
    for row in avatar_records(db, tenant, sessions):
        try:
            named.add(avatars.codec.decode(row.value).blob_id)
        except CodecError:
            continue  # an undecodable record: fdbstore_check reports it
    for blob_id in sorted(named):
        yield from _prefix(db, keyspace().blob_chunks.subspace((blob_id,)))


def register() -> None:
    register_tenant_space("avatars", avatar_records, lambda relative, tenant: True)
    register_tenant_space("blob_chunks", avatar_chunks, lambda relative, tenant: True)
