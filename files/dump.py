"""The files' part of a tenant dump (``fdbstore_dump --tenant``): the entries and
trash of the tenant's sessions, the blobs their files name, the tenant's usage.

Registered with ``fdbstore.scopes.register_tenant_space``; each reader yields
its space's pairs in ascending key order (session ids and blob ids sorted as
their tuple encodings sort: by their 16 bytes)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from fdbstore import scan
from fdbstore.codec import CodecError
from fdbstore.database import Database
from fdbstore.keys import keyspace
from fdbstore.scopes import register_tenant_space
from fdbstore.transaction import KeyValue
from files.records import decode_entry


def _prefix(db: Database, space: Any) -> Iterator[KeyValue]:
    span = space.range()
    yield from scan.pairs(db, span.start, span.stop)


def entries(db: Database, tenant: uuid.UUID, sessions: list[Any]) -> Iterator[KeyValue]:
    for sid in sorted(sessions):
        yield from _prefix(db, keyspace().file_entries.subspace((sid,)))


def trash(db: Database, tenant: uuid.UUID, sessions: list[Any]) -> Iterator[KeyValue]:
    for sid in sorted(sessions):
        yield from _prefix(db, keyspace().file_trash.subspace((sid,)))


def usage(db: Database, tenant: uuid.UUID, sessions: list[Any]) -> Iterator[KeyValue]:
    yield from _prefix(db, keyspace().file_usage.subspace((tenant,)))


def blobs(db: Database, tenant: uuid.UUID, sessions: list[Any]) -> Iterator[KeyValue]:
    named: set[uuid.UUID] = set()
    for row in entries(db, tenant, sessions):
        try:
            blob = decode_entry(row.value).blob
        except CodecError:
            continue
        if blob is not None:
            named.add(blob)
    for blob_id in sorted(named):
        yield from _prefix(db, keyspace().blob_chunks.subspace((blob_id,)))


def register() -> None:
    register_tenant_space("file_entries", entries, lambda relative, tenant: True)
    register_tenant_space("file_trash", trash, lambda relative, tenant: True)
    register_tenant_space("blob_chunks", blobs, lambda relative, tenant: True)
    register_tenant_space(
        "file_usage", usage, lambda relative, tenant: len(relative) >= 2 and relative[1] == tenant
    )
