"""Walking a key range too large for one transaction.

FoundationDB ends a transaction after 5 seconds, so a command that reads a
whole space reads it in bounded batches, one short transaction each, with
snapshot reads (a scan must not make concurrent writers conflict). The result
is not one consistent snapshot: each batch is consistent on its own.
"""

from __future__ import annotations

from collections.abc import Iterator

from fdbstore.database import Database
from fdbstore.transaction import KeyValue, key_after

BATCH = 500


def batches(
    db: Database, begin: bytes, end: bytes, *, size: int | None = None
) -> Iterator[list[KeyValue]]:
    """Yield the pairs in ``[begin, end)`` in key order, at most ``size`` per batch.

    ``size`` defaults to ``BATCH``, read at call time so tests can shrink it."""
    size = size or BATCH
    while begin < end:
        rows = db.transact(lambda tr, b=begin: tr.snapshot.get_range(b, end, limit=size))
        if rows:
            yield rows
        if len(rows) < size:
            return
        begin = key_after(rows[-1].key)


def pairs(db: Database, begin: bytes, end: bytes, *, size: int | None = None) -> Iterator[KeyValue]:
    """Yield every pair in ``[begin, end)``, read in batches of ``size``."""
    for batch in batches(db, begin, end, size=size):
        yield from batch
