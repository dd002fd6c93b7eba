"""The store's whole key range, to show that a rejected request changed nothing.

One transaction reads every pair under the root subspace (test stores are
small), so the picture is consistent. Throttle counters are left out by
default: counting an attempt is the point of a throttle, and a brute-forcer
sending invalid bodies must still be counted; every other space must be
byte-for-byte the same after a rejected request.
"""

from __future__ import annotations

from fdbstore.database import Database
from fdbstore.keys import keyspace


def store_snapshot(db: Database, *, ignore: tuple[str, ...] = ("throttle",)) -> dict[bytes, bytes]:
    """Every key and value under the root, less the spaces named in ``ignore``."""
    ks = keyspace()
    whole = ks.root.range()
    skipped = [ks.space(name) for name in ignore]
    rows = db.transact(lambda tr: tr.get_range(whole.start, whole.stop))
    return {
        row.key: row.value for row in rows if not any(space.contains(row.key) for space in skipped)
    }


def spaces_of(snapshot: dict[bytes, bytes]) -> dict[str, int]:
    """How many keys each top-level space holds, e.g. ``{"users": 1, "sessions": 2}``."""
    ks = keyspace()
    counts: dict[str, int] = {}
    for key in snapshot:
        name = ks.root.unpack(key)[0]
        counts[name] = counts.get(name, 0) + 1
    return counts
