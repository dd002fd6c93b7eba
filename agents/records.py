"""Hub records: registered worker agents and the tasks handed to them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

# A2A 1.0 task states, as the protocol's JSON spells them.
SUBMITTED = "TASK_STATE_SUBMITTED"
WORKING = "TASK_STATE_WORKING"
INPUT_REQUIRED = "TASK_STATE_INPUT_REQUIRED"
COMPLETED = "TASK_STATE_COMPLETED"
FAILED = "TASK_STATE_FAILED"
CANCELED = "TASK_STATE_CANCELED"
REJECTED = "TASK_STATE_REJECTED"
TERMINAL = frozenset({COMPLETED, FAILED, CANCELED, REJECTED})


@dataclass(frozen=True)
class Agent:
    """A tenant's worker, stored at ``agents/{id}`` (schema version 1).

    ``skills`` are A2A AgentSkill objects as JSON: ``{id, name, description, tags}``."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    name: str
    skills: list[dict[str, Any]]
    created_at: datetime

    @property
    def skill_ids(self) -> list[str]:
        return [skill["id"] for skill in self.skills]


@dataclass(frozen=True)
class HubTask:
    """A task's state, stored at ``a2a_tasks/{id}`` (schema version 1).

    Its messages, artifacts and status events live in ``a2a_task_log/{id}/{seq}``
    (``seq`` counts them): the record stays small however long the task runs.
    ``lease_id``/``lease_expires_at``/``agent_id`` are set while a worker holds it;
    ``expiries`` counts leases that ran out."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    skill_id: str
    context_id: str
    state: str
    status_message: dict[str, Any] | None
    status_at: datetime
    seq: int
    lease_id: str | None
    lease_expires_at: datetime | None
    agent_id: uuid.UUID | None
    expiries: int
    created_at: datetime

    @property
    def terminal(self) -> bool:
        return self.state in TERMINAL
