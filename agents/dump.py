"""The hub's file parts in a tenant dump: the chunks of the blobs its tasks list.

Registered with ``fdbstore.scopes.register_tenant_space`` for ``blob_chunks``
(beside the files' reader: the scope merges both in key order). The tasks'
``a2a_task_blobs`` entries themselves are dumped by the scope with the tasks."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from fdbstore import scan
from fdbstore.database import Database
from fdbstore.keys import keyspace
from fdbstore.scopes import register_tenant_space
from fdbstore.transaction import KeyValue


def _prefix(db: Database, space: Any) -> Iterator[KeyValue]:
    span = space.range()
    yield from scan.pairs(db, span.start, span.stop)


def task_blob_chunks(db: Database, tenant: uuid.UUID, sessions: list[Any]) -> Iterator[KeyValue]:
    ks = keyspace()
    named: set[uuid.UUID] = set()
    for row in _prefix(db, ks.tenant_a2a_tasks.subspace((tenant,))):
        task_id = ks.tenant_a2a_tasks.unpack(row.key)[1]
        for entry in _prefix(db, ks.a2a_task_blobs.subspace((task_id,))):
            named.add(ks.a2a_task_blobs.unpack(entry.key)[1])
    for blob_id in sorted(named, key=lambda b: b.bytes):
        yield from _prefix(db, ks.blob_chunks.subspace((blob_id,)))


def session_tasks(db: Database, tenant: uuid.UUID, sessions: list[Any]) -> Iterator[KeyValue]:
    for session_id in sorted(sessions):
        yield from _prefix(db, keyspace().a2a_session_tasks.subspace((session_id,)))


def register() -> None:
    register_tenant_space("blob_chunks", task_blob_chunks, lambda relative, tenant: True)
    register_tenant_space("a2a_session_tasks", session_tasks, lambda relative, tenant: True)
