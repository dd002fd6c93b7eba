"""Fixed-window request counters in fdbstore, shared by every process and node.

Each hit is an atomic ``add`` (no read conflict, so concurrent requests never
retry on the hot counter) followed by a snapshot read of the totals in the
same transaction: one round trip for the reads, one commit.
"""

from __future__ import annotations

from collections.abc import Sequence

from fdbstore.database import transactional
from fdbstore.keys import keyspace
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
