"""The layout-version header, checked when the store opens.

A store written by a newer layout than this code knows is refused rather than
misread (fdb-record-layer's ``checkVersion``).
"""

from __future__ import annotations

from fdb import tuple as fdbtuple

from fdbstore.database import Database
from fdbstore.errors import LayoutVersionError
from fdbstore.keys import LAYOUT_VERSION, keyspace
from fdbstore.transaction import Transaction


def read_layout_version(tr: Transaction) -> int | None:
    raw = tr.get(keyspace().layout_version())
    return None if raw is None else fdbtuple.unpack(raw)[0]


def ensure_layout(db: Database) -> int:
    """Write the header into a new store; refuse a newer layout. Returns the version."""

    def check(tr: Transaction) -> int:
        found = read_layout_version(tr)
        if found is None:
            tr.set(keyspace().layout_version(), fdbtuple.pack((LAYOUT_VERSION,)))
            return LAYOUT_VERSION
        if found > LAYOUT_VERSION:
            raise LayoutVersionError(
                f"the store has key layout {found}; this code understands up to "
                f"{LAYOUT_VERSION}. Upgrade the application before using this store."
            )
        return found

    return db.transact(check)
