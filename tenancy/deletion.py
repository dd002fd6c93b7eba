"""The "being deleted" marker of an organisation (``tenants_deleting``, ``fdbstore/keys.py``).

An organisation's deletion takes many bounded transactions. Its first, the
authorised one, writes the marker (holding who started it); from that commit
on the tenant is refused to every request and hidden from listings, even
while some memberships still exist. The last step clears it with the tenant
record. The marker space is also the list of deletions left half done, which
``purge_expired`` (``tenancy.services.deletions_resume``) finishes.
"""

from __future__ import annotations

import uuid

from fdb import tuple as fdbtuple

from fdbstore.keys import keyspace
from fdbstore.transaction import ReadOperations, Transaction


def marker_key(tenant_id: uuid.UUID) -> bytes:
    return keyspace().tenant_deleting(tenant_id)


def mark(tr: Transaction, *, tenant_id: uuid.UUID, user_id: uuid.UUID) -> None:
    tr.set(marker_key(tenant_id), fdbtuple.pack((user_id,)))


def unmark(tr: Transaction, *, tenant_id: uuid.UUID) -> None:
    tr.clear(marker_key(tenant_id))


def deleter(raw: bytes | None) -> uuid.UUID | None:
    """Who started the deletion, from a marker's value (None: not being deleted)."""
    return None if raw is None else fdbtuple.unpack(raw)[0]


def is_deleting(tr: ReadOperations, tenant_id: uuid.UUID) -> bool:
    return tr.get(marker_key(tenant_id)) is not None


def marked_page(tr: ReadOperations, *, after: uuid.UUID | None, limit: int) -> list[uuid.UUID]:
    """Up to ``limit`` tenants being deleted, in id order, after ``after``."""
    space = keyspace().tenants_deleting
    begin = space.range().start if after is None else space.pack((after,)) + b"\x00"
    rows = tr.get_range(begin, space.range().stop, limit=limit)
    return [space.unpack(row.key)[0] for row in rows]
