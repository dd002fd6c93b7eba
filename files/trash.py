"""Clearing unlinked directories (and deleted sessions' trees) in bounded batches.

A directory deleted with its contents, or a session's root when the session is
deleted, is unlinked in one transaction that queues ``file_trash/(sid, dir)``.
``trash_drain`` then clears its entries ``DRAIN_BATCH`` at a time: each file's
blob goes (its own bounded transactions), then one transaction clears the
batch's entries, queues its subdirectories in turn and gives their bytes back
to the tenant's usage. The queue entry goes when its directory is empty. Any
step can be interrupted and run again: ``purge_expired`` finishes what a
request did not.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from fdbstore.blobs import blob_delete
from fdbstore.connection import get_database
from fdbstore.transaction import Transaction
from files.records import ROOT_ID
from files.repositories import (
    entries_page,
    entry_clear,
    trash_add,
    trash_clear,
    trash_page,
    usage_add,
)

DRAIN_BATCH = 100
DRAIN_SECONDS = 10.0  # the longest a request spends clearing; the rest waits for purge_expired

__all__ = ["session_files_unlink", "trash_add", "trash_drain"]


def session_files_unlink(tr: Transaction, session: Any) -> None:
    """``on_session_deleted`` hook: queue the session's whole tree (a few bytes)."""
    trash_add(tr, session.id, ROOT_ID, session.tenant_id)


def trash_drain(session_ids: list[uuid.UUID] | None, *, budget: float | None = None) -> int:
    """Clear queued trees of these sessions (None: of all); return the entries cleared.

    For named sessions (a request) it stops after ``budget`` seconds (default
    ``DRAIN_SECONDS``), leaving the rest queued; for all (``purge_expired``,
    ``deleteuser``) it runs to the end unless given a budget."""
    db = get_database()
    if budget is None:
        budget = DRAIN_SECONDS if session_ids is not None else float("inf")
    deadline = time.monotonic() + budget
    cleared = 0
    scopes: list[uuid.UUID | None] = list(session_ids) if session_ids is not None else [None]
    for scope in scopes:
        while time.monotonic() < deadline:
            queued = db.transact(lambda tr, s=scope: trash_page(tr.snapshot, sid=s, limit=1))
            if not queued:
                break
            cleared += _drain_dir(*queued[0], deadline=deadline)
    return cleared


def _drain_dir(sid: uuid.UUID, dir_id: uuid.UUID, tenant_id: uuid.UUID, *, deadline: float) -> int:
    db = get_database()
    cleared = 0
    while time.monotonic() < deadline:
        rows = db.transact(
            lambda tr: entries_page(tr.snapshot, sid, dir_id, after=None, limit=DRAIN_BATCH)
        )
        for _name, entry in rows:
            if entry.blob is not None:
                blob_delete(db, entry.blob)

        done = {name for name, _entry in rows}

        def step(tr: Transaction, done: set[str] = done) -> None:
            # Re-read: a retry after a maybe-committed attempt (1021) counts nothing twice.
            current = entries_page(tr, sid, dir_id, after=None, limit=DRAIN_BATCH)
            if not current:
                trash_clear(tr, sid, dir_id)
                return
            nbytes = files = 0
            for name, entry in current:
                if name not in done:
                    continue
                entry_clear(tr, sid, dir_id, name)
                if entry.is_dir:
                    trash_add(tr, sid, entry.id, tenant_id)
                else:
                    nbytes, files = nbytes + entry.size, files + 1
            usage_add(tr, tenant_id, nbytes=-nbytes, files=-files)

        db.transact(step)
        if not rows:
            break
        cleared += len(rows)
    return cleared
