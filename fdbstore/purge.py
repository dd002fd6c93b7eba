"""Clearing the expired pairs of a space, in bounded batches.

``purge_space`` walks a space in key order, one short transaction per batch
(FoundationDB's 5 s and 10 MB limits hold whatever the space's size): each
transaction reads the next ``size`` pairs and clears those ``expired`` says
are past. Its reads are conflict-checked, so a pair rewritten meanwhile
(a new revocation floor) makes the batch run again rather than be cleared.
``snapshot=True`` drops that check, for a space hot writers keep adding to
(the throttle counters) and where clearing a pair written meanwhile is
harmless (a counter of a window that has ended).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fdb.subspace_impl import Subspace

from fdbstore import scan
from fdbstore.database import Database
from fdbstore.transaction import KeyValue, Transaction, key_after

Expired = Callable[[tuple[Any, ...], bytes], bool]


@dataclass(frozen=True)
class PurgeCount:
    scanned: int
    expired: int  # cleared, or with ``dry_run`` the ones that would be


def purge_space(
    db: Database,
    space: Subspace,
    expired: Expired,
    *,
    dry_run: bool = False,
    snapshot: bool = False,
    size: int | None = None,
) -> PurgeCount:
    """Clear every pair of ``space`` for which ``expired(key_tuple, value)`` is true.

    A pair that cannot be unpacked, or that ``expired`` cannot judge (raises
    ``ValueError``, ``TypeError`` or ``IndexError``), is left alone. ``dry_run``
    only counts. ``size`` defaults to ``scan.BATCH``."""
    size = size or scan.BATCH
    begin, end = space.range().start, space.range().stop
    scanned = cleared = 0
    while True:

        def batch(tr: Transaction, b: bytes = begin) -> tuple[list[KeyValue], int]:
            reads = tr.snapshot if snapshot or dry_run else tr
            rows = reads.get_range(b, end, limit=size)
            doomed = [row.key for row in rows if _judge(space, expired, row)]
            if not dry_run:
                for key in doomed:
                    tr.clear(key)
            return rows, len(doomed)

        rows, count = db.transact(batch)
        scanned, cleared = scanned + len(rows), cleared + count
        if len(rows) < size:
            return PurgeCount(scanned, cleared)
        begin = key_after(rows[-1].key)


def _judge(space: Subspace, expired: Expired, row: KeyValue) -> bool:
    try:
        return expired(space.unpack(row.key), row.value)
    except (ValueError, TypeError, IndexError):
        return False


# -- purges higher apps add to ``purge_expired`` ---------------------------------------
# ``accounts``' purge_expired command cannot import the apps above it; they register
# a purge here from their ``AppConfig.ready``: name -> (label, fn(dry_run, size)).
Purge = Callable[..., PurgeCount]
_registered: dict[str, tuple[str, Purge]] = {}


def register_purge(name: str, label: str, purge: Purge) -> None:
    """Add ``purge(dry_run=..., size=...)`` to ``purge_expired`` under ``name``."""
    _registered[name] = (label, purge)


def registered_purges() -> dict[str, tuple[str, Purge]]:
    return dict(_registered)
