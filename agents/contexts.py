"""A task's ``contextId`` naming a workspace session of the tenant ties the task to it.

Session ids are UUIDv7; a ``contextId`` that is a UUIDv7 must name a session of
the caller's tenant (``InvalidContext`` otherwise: JSON-RPC -32602), read in the
submitting transaction, so a session deleted meanwhile either refuses the
submit or finds the task. Any other ``contextId`` (the hub's own are UUIDv4) is
an opaque conversation id, as before. A tied task is listed under
``a2a_session_tasks/{session}/{task}``.

Deleting the session deletes its tasks: the ``on_session_deleted`` hook marks
the session gone (one small key, in the deleting transaction), and the
``after_sessions_deleted`` hook (and ``purge_expired`` for whatever a crash
left) deletes the tasks in bounded transactions. Deleting the tenant deletes
all its tasks and agents through ``tenancy/hooks.py``, batch by batch.
"""

from __future__ import annotations

import uuid
from typing import Any

from agents import files
from agents.errors import InvalidContext
from agents.purge import task_delete
from agents.records import HubTask
from agents.repositories import agents, tasks
from fdbstore import scan
from fdbstore.connection import get_database
from fdbstore.keys import keyspace
from fdbstore.transaction import Transaction
from sessions_api.errors import SessionNotFound
from sessions_api.selectors import session_in_tenant

BATCH = 100  # tasks deleted per transaction


def session_of(context_id: str | None) -> uuid.UUID | None:
    """The session a context id names (a UUIDv7), or None for an opaque one."""
    if not context_id or len(context_id) > 45:
        return None
    try:
        value = uuid.UUID(context_id)
    except ValueError:
        return None
    return value if value.version == 7 else None


def tie(tr: Transaction, task: HubTask) -> None:
    """In the submitting transaction: check the session and list the task under it."""
    session_id = session_of(task.context_id)
    if session_id is None:
        return
    try:
        session_in_tenant(tr, tenant_id=task.tenant_id, session_id=session_id)
    except SessionNotFound:
        raise InvalidContext() from None
    tr.set(keyspace().a2a_session_task(session_id, task.id), b"")


def untie(tr: Transaction, task: HubTask) -> None:
    session_id = session_of(task.context_id)
    if session_id is not None:
        tr.clear(keyspace().a2a_session_task(session_id, task.id))


# -- session deletion (sessions_api/hooks.py) ---------------------------------------------
def session_deleted(tr: Transaction, session: Any) -> None:
    """``on_session_deleted``: mark the session gone if tasks are tied to it."""
    ks = keyspace()
    scope = ks.a2a_session_tasks.range((session.id,))
    if tr.get_range(scope.start, scope.stop, limit=1):
        tr.set(ks.a2a_gone_session(session.id), b"")


def gone_sessions_drain(session_ids: list[uuid.UUID] | None = None) -> int:
    """``after_sessions_deleted``: delete the tasks of gone sessions (``None``: all marked);
    return the tasks deleted."""
    ks, db = keyspace(), get_database()
    if session_ids is None:
        span = ks.a2a_gone_sessions.range()
        session_ids = [
            ks.a2a_gone_sessions.unpack(row.key)[0]
            for batch in scan.batches(db, span.start, span.stop)
            for row in batch
        ]
    return sum(_drain(session_id) for session_id in session_ids)


def _drain(session_id: uuid.UUID) -> int:
    ks, db, deleted = keyspace(), get_database(), 0
    scope = ks.a2a_session_tasks.range((session_id,))

    def batch(tr: Transaction) -> tuple[int, list[uuid.UUID], bool]:
        if tr.get(ks.a2a_gone_session(session_id)) is None:
            return 0, [], True  # not gone, or drained already
        rows = tr.get_range(scope.start, scope.stop, limit=BATCH)
        blob_ids: list[uuid.UUID] = []
        for row in rows:
            task = tasks.get(tr, ks.a2a_session_tasks.unpack(row.key)[1])
            if task is not None:
                blob_ids += task_delete(tr, task)
            tr.clear(row.key)
        if len(rows) < BATCH:
            tr.clear(ks.a2a_gone_session(session_id))
            return len(rows), blob_ids, True
        return len(rows), blob_ids, False

    while True:
        count, blob_ids, done = db.transact(batch)
        files.delete_now(blob_ids)
        deleted += count
        if done:
            return deleted


# -- tenant deletion (tenancy/hooks.py) -------------------------------------------------
def tenant_step(tr: Transaction, tenant_id: uuid.UUID, limit: int) -> bool:
    """Delete up to ``limit`` (at most ``BATCH``) of the tenant's tasks, then its agents
    and skill counters; True while more remain. The tasks' blobs are retired here;
    ``purge_expired`` clears their chunks."""
    size = min(limit, BATCH)
    page = tasks.page_by_index(tr, "by_tenant", (tenant_id,), limit=size)
    for task in page.items:
        task_delete(tr, task)
    if len(page.items) == size:
        return True
    _, more = agents.delete_by_index(tr, "by_tenant", (tenant_id,), limit=size)
    if not more:
        signals = keyspace().a2a_signal.range((tenant_id,))
        tr.clear_range(signals.start, signals.stop)
    return more
