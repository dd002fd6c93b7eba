"""Hub reads, always scoped to one tenant."""

from __future__ import annotations

import uuid
from typing import Any

from agents import files
from agents.conf import agents_setting
from agents.errors import AgentNotFound, TaskNotFound
from agents.protocol import task_view
from agents.records import Agent, HubTask
from agents.repositories import agents, log_read, tasks
from fdbstore.connection import get_database
from fdbstore.repository import Page
from fdbstore.transaction import ReadOperations


def parse_id(value: Any, missing: type[Exception]) -> uuid.UUID:
    """An id from a URL or a body; anything that is not a UUID is simply not found."""
    if isinstance(value, uuid.UUID):
        return value
    if not isinstance(value, str) or len(value) > 45:
        raise missing()
    try:
        return uuid.UUID(value)
    except ValueError:
        raise missing() from None


def agent_in_tenant(tr: ReadOperations, *, tenant_id: uuid.UUID, agent_id: Any) -> Agent:
    agent = agents.get(tr, parse_id(agent_id, AgentNotFound))
    if agent is None or agent.tenant_id != tenant_id:
        raise AgentNotFound()
    return agent


def task_in_tenant(tr: ReadOperations, *, tenant_id: uuid.UUID, task_id: Any) -> HubTask:
    task = tasks.get(tr, parse_id(task_id, TaskNotFound))
    if task is None or task.tenant_id != tenant_id:
        raise TaskNotFound()
    return task


def tenant_agents(tr: ReadOperations, *, tenant_id: uuid.UUID) -> list[Agent]:
    """Every worker of the tenant (at most MAX_AGENTS_PER_TENANT: one bounded read)."""
    limit = agents_setting("MAX_AGENTS_PER_TENANT")
    page = agents.page_by_index(tr, "by_tenant", (tenant_id,), limit=limit)
    return [agent for agent in page.items if agent.tenant_id == tenant_id]


def tenant_skills(tr: ReadOperations, *, tenant_id: uuid.UUID) -> dict[str, dict[str, Any]]:
    """The skills the tenant's workers declare, by id (first declaration wins)."""
    skills: dict[str, dict[str, Any]] = {}
    for agent in tenant_agents(tr, tenant_id=tenant_id):
        for skill in agent.skills:
            skills.setdefault(skill["id"], skill)
    return skills


def agent_list(*, tenant_id: uuid.UUID) -> list[Agent]:
    return get_database().transact(lambda tr: tenant_agents(tr, tenant_id=tenant_id))


def task_snapshot(tr: ReadOperations, task: HubTask, *, artifacts: bool = True) -> dict[str, Any]:
    return task_view(task, log_read(tr, task.id), artifacts=artifacts)


def task_get(*, tenant_id: uuid.UUID, task_id: Any) -> tuple[HubTask, dict[str, Any]]:
    """The task record and its A2A view (GetTask), in one transaction; its file parts'
    bytes read after it (``agents/files.py``)."""

    def read(tr: ReadOperations) -> tuple[HubTask, dict[str, Any]]:
        task = task_in_tenant(tr, tenant_id=tenant_id, task_id=task_id)
        return task, task_snapshot(tr, task)

    task, view = get_database().transact(read)
    return task, files.inline(view)


def task_page(*, tenant_id: uuid.UUID, limit: int, cursor: str | None = None) -> Page[HubTask]:
    """One page of the tenant's tasks, newest first."""
    return get_database().transact(
        lambda tr: tasks.page_by_index(
            tr, "by_tenant", (tenant_id,), limit=limit, cursor=cursor, reverse=True
        )
    )
