"""Clearing hub tasks that are done with: ``purge_expired`` runs ``tasks_purge``.

A task goes when it ended (completed, failed, canceled, rejected) more than
``A2A_TASK_RETENTION_DAYS`` ago, or when its tenant no longer exists (a deleted
user's tenant: its tasks go here rather than inside the deleting transaction);
an agent goes with its tenant too. The spaces are walked in bounded batches, one
short transaction each; a task leaves with its record, index entry, log, queue
and lease entries together.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from agents import files
from agents import repositories as repo
from agents.conf import agents_setting
from agents.records import HubTask
from agents.repositories import agents, tasks
from config.api import clock
from fdbstore import scan
from fdbstore.connection import get_database
from fdbstore.keys import keyspace
from fdbstore.purge import PurgeCount
from fdbstore.repository import Repository
from fdbstore.transaction import Transaction


def _tenant_gone(tr: Transaction, tenant_id: uuid.UUID, seen: dict[uuid.UUID, bool]) -> bool:
    if tenant_id not in seen:
        seen[tenant_id] = tr.snapshot.get(keyspace().tenant(tenant_id)) is None
    return seen[tenant_id]


def task_delete(tr: Transaction, task: HubTask) -> list[uuid.UUID]:
    """The task and everything kept beside it; its file parts' blobs are retired
    (``purge_expired``'s blob purge clears their chunks): their ids are returned."""
    from agents.contexts import untie

    untie(tr, task)
    retired = files.retire(tr, task.id)
    repo.log_clear(tr, task.id)
    repo.queue_remove(tr, task)
    lease = repo.lease_key(task)
    if lease is not None:
        tr.clear(lease)
    tasks.delete(tr, task)
    return retired


def tasks_purge(*, dry_run: bool = False, size: int | None = None) -> PurgeCount:
    """Delete expired tasks, the tasks of deleted sessions, and the tasks and agents of
    tenants that are gone."""
    from agents.contexts import gone_sessions_drain

    if not dry_run:
        gone_sessions_drain(None)  # what a crash after a session deletion left
    size = size or scan.BATCH
    cutoff = clock.now() - timedelta(days=agents_setting("TASK_RETENTION_DAYS"))

    def task_doomed(task: HubTask, gone: bool) -> bool:
        return gone or (task.terminal and task.status_at < cutoff)

    first = _walk(tasks, task_doomed, task_delete, dry_run=dry_run, size=size)
    second = _walk(agents, lambda _, gone: gone, agents.delete, dry_run=dry_run, size=size)
    return PurgeCount(first.scanned + second.scanned, first.expired + second.expired)


def _walk(
    repository: Repository[Any],
    doomed: Callable[[Any, bool], bool],
    delete: Callable[[Transaction, Any], None],
    *,
    dry_run: bool,
    size: int,
) -> PurgeCount:
    """Walk ``repository`` in key order, one bounded transaction per batch."""
    scanned = purged = 0
    after: bytes | None = None
    while True:

        def batch(tr: Transaction, after: bytes | None = after) -> tuple[int, int, bytes | None]:
            records = repository.scan(tr, after=after, limit=size)
            seen: dict[uuid.UUID, bool] = {}
            hits = [r for r in records if doomed(r, _tenant_gone(tr, r.tenant_id, seen))]
            if not dry_run:
                for record in hits:
                    delete(tr, record)
            last = repository.key(repository.pk(records[-1])) if records else None
            return len(records), len(hits), last

        count, hit, after = get_database().transact(batch)
        scanned, purged = scanned + count, purged + hit
        if count < size or after is None:
            return PurgeCount(scanned, purged)
