"""Agents and hub tasks in fdbstore (key shapes: ``fdbstore/keys.py``, agents block).

``agents`` and ``tasks`` are declared repositories (record + tenant index); the
task log, queue, leases and signal keys are plain keys kept in step by the
services, in the task's own transaction."""

from __future__ import annotations

import json
import uuid
from typing import Any

from agents.records import Agent, HubTask
from fdbstore.codec import RecordCodec
from fdbstore.indexes import Index
from fdbstore.keys import keyspace
from fdbstore.repository import Repository
from fdbstore.transaction import ReadOperations, Transaction


class AgentRepository(Repository[Agent]):
    codec = RecordCodec(Agent, version=1)
    indexes = [Index("by_tenant", lambda: keyspace().tenant_agents, lambda a: (a.tenant_id,))]


class TaskRepository(Repository[HubTask]):
    codec = RecordCodec(HubTask, version=1)
    indexes = [Index("by_tenant", lambda: keyspace().tenant_a2a_tasks, lambda t: (t.tenant_id,))]


agents = AgentRepository(lambda: keyspace().agents, lambda a: (a.id,))
tasks = TaskRepository(lambda: keyspace().a2a_tasks, lambda t: (t.id,))


# -- the task log: one JSON event per seq -------------------------------------------
def log_append(tr: Transaction, task_id: uuid.UUID, seq: int, event: dict[str, Any]) -> None:
    raw = json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()
    tr.set(keyspace().a2a_task_event(task_id, seq), raw)


def log_read(
    tr: ReadOperations, task_id: uuid.UUID, *, after: int = 0, limit: int = 0
) -> list[tuple[int, dict[str, Any]]]:
    """The task's events with ``seq > after``, in order (one range read)."""
    space = keyspace().a2a_task_log
    begin = keyspace().a2a_task_event(task_id, after + 1)
    end = space.range((task_id,)).stop
    rows = tr.get_range(begin, end, limit=limit)
    return [(space.unpack(row.key)[1], json.loads(row.value)) for row in rows]


def log_clear(tr: Transaction, task_id: uuid.UUID) -> None:
    scope = keyspace().a2a_task_log.range((task_id,))
    tr.clear_range(scope.start, scope.stop)


# -- the queue of submitted tasks, per tenant and skill ------------------------------
def queue_push(tr: Transaction, task: HubTask) -> None:
    ks = keyspace()
    tr.set(ks.a2a_queued(task.tenant_id, task.skill_id, task.id), b"")
    tr.add_int(ks.a2a_skill_signal(task.tenant_id, task.skill_id), 1)


def queue_remove(tr: Transaction, task: HubTask) -> None:
    tr.clear(keyspace().a2a_queued(task.tenant_id, task.skill_id, task.id))


def queue_head(tr: ReadOperations, tenant_id: uuid.UUID, skill_id: str) -> uuid.UUID | None:
    """The oldest submitted task of a skill: UUIDv7 ids sort by creation time."""
    scope = keyspace().a2a_queue.range((tenant_id, skill_id))
    rows = tr.get_range(scope.start, scope.stop, limit=1)
    return keyspace().a2a_queue.unpack(rows[0].key)[2] if rows else None


def signal_key(tenant_id: uuid.UUID, skill_id: str) -> bytes:
    return keyspace().a2a_skill_signal(tenant_id, skill_id)


# -- leases, by expiry ---------------------------------------------------------------
def lease_key(task: HubTask) -> bytes | None:
    if task.lease_expires_at is None:
        return None
    expires_ms = int(task.lease_expires_at.timestamp() * 1000)
    return keyspace().a2a_lease(task.tenant_id, expires_ms, task.id)


def leases_due(
    tr: ReadOperations, tenant_id: uuid.UUID, now_ms: int, *, limit: int
) -> list[tuple[bytes, uuid.UUID]]:
    """(lease key, task id) of the tenant's leases that ran out at or before ``now_ms``."""
    space = keyspace().a2a_leases
    begin = space.range((tenant_id,)).start
    end = space.pack((tenant_id, now_ms + 1))
    rows = tr.get_range(begin, end, limit=limit)
    return [(row.key, space.unpack(row.key)[2]) for row in rows]


def next_lease_expiry_ms(tr: ReadOperations, tenant_id: uuid.UUID) -> int | None:
    """When the tenant's next lease runs out (epoch ms), or None; pass a snapshot view."""
    space = keyspace().a2a_leases
    scope = space.range((tenant_id,))
    rows = tr.get_range(scope.start, scope.stop, limit=1)
    return space.unpack(rows[0].key)[1] if rows else None
