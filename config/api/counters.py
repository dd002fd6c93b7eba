"""Fixed-window request counters in fdbstore, shared by every process and node.

Each hit is an atomic ``add`` (no read conflict, so concurrent requests never
retry on the hot counter) followed by a snapshot read of the totals in the
same transaction: one round trip for the reads, one commit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fdbstore.database import Database, transactional
from fdbstore.keys import keyspace
from fdbstore.purge import PurgeCount, purge_space
from fdbstore.transaction import Transaction, decode_int


@transactional
def counters_hit(tr: Transaction, *, scope: str, idents: Sequence[str], window: int) -> list[int]:
    """Count one hit for each ident in ``window``; return each ident's total so far.

    ``window`` is the window's start, in epoch seconds, so a purge can tell
    expired counters from their key alone."""
    ks = keyspace()
    keys = [ks.throttle_counter(scope, ident, window) for ident in idents]
    for key in keys:
        tr.add_int(key, 1)
    return [decode_int(raw) for raw in tr.snapshot.get_many(keys)]


def counters_purge(
    db: Database,
    *,
    window_ended: Callable[[str, int], bool],
    dry_run: bool = False,
    size: int | None = None,
) -> PurgeCount:
    """Clear the counters for which ``window_ended(scope, window_start)`` is true.

    Snapshot reads: the requests adding to current windows never make a purge
    batch retry, and a late add to an ended window only re-creates a counter
    nothing reads, for the next purge."""

    def expired(key: tuple[Any, ...], _value: bytes) -> bool:
        scope, _ident, window = key
        if not isinstance(scope, str) or isinstance(window, bool) or not isinstance(window, int):
            raise TypeError("not a throttle counter key")
        return window_ended(scope, window)

    return purge_space(db, keyspace().throttle, expired, dry_run=dry_run, snapshot=True, size=size)
