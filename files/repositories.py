"""The file tree's keys (shapes drawn in ``fdbstore/keys.py``): entries, usage, trash.

Every function takes the transaction; none opens one.
"""

from __future__ import annotations

import uuid

from fdb import tuple as fdbtuple

from fdbstore.keys import keyspace
from fdbstore.transaction import ReadOperations, Transaction, decode_int, key_after
from files.records import Entry, decode_entry, encode_entry


def entry_get(tr: ReadOperations, sid: uuid.UUID, dir_id: uuid.UUID, name: str) -> Entry | None:
    raw = tr.get(keyspace().file_entry(sid, dir_id, name))
    return None if raw is None else decode_entry(raw)


def entry_set(tr: Transaction, sid: uuid.UUID, dir_id: uuid.UUID, name: str, entry: Entry) -> None:
    tr.set(keyspace().file_entry(sid, dir_id, name), encode_entry(entry))


def entry_clear(tr: Transaction, sid: uuid.UUID, dir_id: uuid.UUID, name: str) -> None:
    tr.clear(keyspace().file_entry(sid, dir_id, name))


def entries_page(
    tr: ReadOperations, sid: uuid.UUID, dir_id: uuid.UUID, *, after: str | None, limit: int
) -> list[tuple[str, Entry]]:
    """Up to ``limit`` (name, entry) pairs of a directory, in name order, after ``after``."""
    ks = keyspace()
    scope = ks.file_entries.subspace((sid, dir_id)).range()
    begin = key_after(ks.file_entry(sid, dir_id, after)) if after is not None else scope.start
    rows = tr.get_range(begin, scope.stop, limit=limit)
    return [(ks.file_entries.unpack(row.key)[2], decode_entry(row.value)) for row in rows]


def dir_is_empty(tr: ReadOperations, sid: uuid.UUID, dir_id: uuid.UUID) -> bool:
    return not entries_page(tr, sid, dir_id, after=None, limit=1)


# -- usage: two atomic-add counters per tenant --------------------------------------
def usage_get(tr: ReadOperations, tenant_id: uuid.UUID) -> tuple[int, int]:
    """(bytes, files) of the tenant's published files."""
    ks = keyspace()
    raw = tr.get_many(
        [ks.file_usage_counter(tenant_id, "bytes"), ks.file_usage_counter(tenant_id, "files")]
    )
    return decode_int(raw[0]), decode_int(raw[1])


def usage_add(tr: Transaction, tenant_id: uuid.UUID, *, nbytes: int, files: int) -> None:
    ks = keyspace()
    if nbytes:
        tr.add_int(ks.file_usage_counter(tenant_id, "bytes"), nbytes)
    if files:
        tr.add_int(ks.file_usage_counter(tenant_id, "files"), files)


# -- trash: unlinked directories whose contents are still being cleared -------------
def trash_add(tr: Transaction, sid: uuid.UUID, dir_id: uuid.UUID, tenant_id: uuid.UUID) -> None:
    tr.set(keyspace().file_trash_entry(sid, dir_id), fdbtuple.pack((tenant_id,)))


def trash_clear(tr: Transaction, sid: uuid.UUID, dir_id: uuid.UUID) -> None:
    tr.clear(keyspace().file_trash_entry(sid, dir_id))


def trash_page(
    tr: ReadOperations, *, sid: uuid.UUID | None, limit: int
) -> list[tuple[uuid.UUID, uuid.UUID, uuid.UUID]]:
    """Up to ``limit`` queued (session, dir, tenant), of one session or of all."""
    ks = keyspace()
    scope = (ks.file_trash.subspace((sid,)) if sid is not None else ks.file_trash).range()
    out = []
    for row in tr.get_range(scope.start, scope.stop, limit=limit):
        session, dir_id = ks.file_trash.unpack(row.key)
        out.append((session, dir_id, fdbtuple.unpack(row.value)[0]))
    return out
