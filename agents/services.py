"""Hub use cases that write: register workers, submit, claim, update and cancel tasks.

Each is one transaction through the retry loop. Ids (task ids, lease ids) are
chosen before the loop, so a retry after a maybe-committed error writes the
same keys again. A task's record, its log entries, its queue entry, its lease
entry and its skill's signal change together in that one transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from agents import contexts, files
from agents import repositories as repo
from agents.conf import agents_setting
from agents.errors import (
    CancelDenied,
    LeaseNotHeld,
    TaskFinal,
    TaskNotCancelable,
    TaskNotContinuable,
    TooManyAgents,
    UnknownSkill,
)
from agents.protocol import agent_message, artifact, status_event, tied
from agents.records import (
    CANCELED,
    FAILED,
    INPUT_REQUIRED,
    SUBMITTED,
    WORKING,
    Agent,
    HubTask,
)
from agents.repositories import agents, tasks
from agents.selectors import (
    agent_in_tenant,
    task_in_tenant,
    task_snapshot,
    tenant_agents,
    tenant_skills,
)
from config.api import clock
from config.api.ids import uuid7
from fdbstore.connection import get_database
from fdbstore.transaction import Transaction
from fdbstore.watches import Watch, wait_any, wait_any_async
from tenancy.permissions import Action, allows

WORKER_STATES = {
    "working": WORKING,
    "input-required": INPUT_REQUIRED,
    "completed": "TASK_STATE_COMPLETED",
    "failed": FAILED,
}
_REQUEUE_BATCH = 16


# -- workers ---------------------------------------------------------------------------
def agent_register(*, tenant_id: uuid.UUID, name: str, skills: list[dict[str, Any]]) -> Agent:
    agent = Agent(id=uuid7(), tenant_id=tenant_id, name=name, skills=skills, created_at=clock.now())

    def register(tr: Transaction) -> None:
        if agents.get(tr, agent.id) is not None:
            return  # this attempt's own write, committed before a retried error
        if len(tenant_agents(tr, tenant_id=tenant_id)) >= agents_setting("MAX_AGENTS_PER_TENANT"):
            raise TooManyAgents()
        agents.insert(tr, agent)

    get_database().transact(register)
    return agent


def agent_delete(*, tenant_id: uuid.UUID, agent_id: str) -> None:
    def delete(tr: Transaction) -> None:
        agents.delete(tr, agent_in_tenant(tr, tenant_id=tenant_id, agent_id=agent_id))

    get_database().transact(delete)


# -- submitting ---------------------------------------------------------------------------
def _log(tr: Transaction, task: HubTask, event: dict[str, Any]) -> HubTask:
    task = dataclasses.replace(task, seq=task.seq + 1)
    repo.log_append(tr, task.id, task.seq, event)
    return task


def task_submit(
    *,
    tenant_id: uuid.UUID,
    skill_id: str | None,
    message: dict[str, Any],
    context_id: str | None = None,
    task_id: uuid.UUID | None = None,
    submitted_by: uuid.UUID | None = None,
) -> HubTask:
    """Create a submitted task for ``skill_id`` with the client's ``message`` (A2A JSON,
    already checked) and queue it; ``UnknownSkill`` if no worker of the tenant declares it."""
    now = clock.now()
    task_id = task_id or uuid7(now)
    task = HubTask(
        id=task_id,
        tenant_id=tenant_id,
        skill_id=skill_id or "",
        context_id=context_id or str(uuid.uuid4()),
        state=SUBMITTED,
        status_message=None,
        status_at=now,
        seq=0,
        lease_id=None,
        lease_expires_at=None,
        agent_id=None,
        expiries=0,
        created_at=now,
    )
    body, blobs = _store_files(message, "message")
    body = {**body, "taskId": str(task_id), "contextId": task.context_id}

    def submit(tr: Transaction) -> HubTask:
        existing = tasks.get(tr, task_id)
        if existing is not None:
            return existing  # committed by an earlier attempt
        skills = tenant_skills(tr, tenant_id=tenant_id)
        if not skill_id or skill_id not in skills:
            raise UnknownSkill(skill_id, sorted(skills))
        contexts.tie(tr, task)  # a session's id as contextId: its own tenant's only
        first: dict[str, Any] = {"message": body}
        if submitted_by is not None:
            first["submittedBy"] = str(submitted_by)  # who may cancel it (with admins)
        created = _log(tr, task, first)
        tasks.insert(tr, created)
        repo.queue_push(tr, created)
        files.publish(tr, created.id, blobs)
        return created

    return _transact_with(submit, blobs)


def _store_files(body: dict[str, Any], what: str) -> tuple[dict[str, Any], list[Any]]:
    """The body's file parts written as pending blobs (``agents/files.py``)."""
    return files.store(body, limit=agents_setting("MAX_FILE_BYTES"), what=what)


def _transact_with(work: Any, blobs: list[Any]) -> Any:
    """Run ``work`` in one transaction; if it fails, the blobs it would publish go."""
    try:
        return get_database().transact(work)
    except BaseException:
        files.discard(blobs)
        raise


def task_continue(*, tenant_id: uuid.UUID, task_id: str, message: dict[str, Any]) -> HubTask:
    """The client's answer to a task in input-required: logged, and the task queued again."""
    message_id = message.get("messageId")
    message, blobs = _store_files(message, "message")

    def answer(tr: Transaction) -> HubTask:
        task = task_in_tenant(tr, tenant_id=tenant_id, task_id=task_id)
        if task.state != INPUT_REQUIRED:
            if task.state == SUBMITTED and _last_message_id(tr, task) == message_id:
                return task  # this attempt's own write
            raise TaskFinal() if task.terminal else TaskNotContinuable()
        body = {**message, "taskId": str(task.id), "contextId": task.context_id}
        task = _log(tr, task, {"message": body})
        task = dataclasses.replace(
            task, state=SUBMITTED, status_at=clock.now(), status_message=None
        )
        task = _log(tr, task, status_event(task))
        tasks.update(tr, None, task)
        repo.queue_push(tr, task)
        files.publish(tr, task.id, blobs)
        return task

    return _transact_with(answer, blobs)


def _may_cancel(tr: Transaction, task: HubTask, principal: Any) -> bool:
    if allows(principal.role, Action.CANCEL_OTHERS_TASKS):
        return True
    first = repo.log_read(tr, task.id, limit=1)
    by = first[0][1].get("submittedBy") if first else None
    return by is not None and by == str(principal.user_id)


def _last_message_id(tr: Transaction, task: HubTask) -> str | None:
    events = repo.log_read(tr, task.id, after=max(task.seq - 2, 0))
    ids = [event["message"].get("messageId") for _, event in events if "message" in event]
    return ids[-1] if ids else None


# -- claiming -------------------------------------------------------------------------------
def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def _requeue_expired(tr: Transaction, tenant_id: uuid.UUID, now: datetime) -> None:
    """Put back the tenant's tasks whose lease ran out; fail those out of chances."""
    for key, task_id in repo.leases_due(tr, tenant_id, _ms(now), limit=_REQUEUE_BATCH):
        task = tasks.get(tr, task_id)
        if task is None or task.terminal or repo.lease_key(task) != key:
            tr.clear(key)  # an entry left by a lease since renewed or ended
            continue
        _release(tr, task)
        expiries = task.expiries + 1
        if expiries >= agents_setting("MAX_LEASE_EXPIRIES"):
            reason = f"No worker finished the task: its lease expired {expiries} times."
            failed = _unleased(task, state=FAILED, expiries=expiries, now=now, note=reason)
            tasks.update(tr, None, _log(tr, failed, status_event(failed)))
        else:
            again = _unleased(task, state=SUBMITTED, expiries=expiries, now=now)
            again = _log(tr, again, status_event(again))
            tasks.update(tr, None, again)
            repo.queue_push(tr, again)


def _unleased(
    task: HubTask,
    *,
    state: str,
    now: datetime,
    expiries: int | None = None,
    note: str | None = None,
) -> HubTask:
    message = None
    if note is not None:
        message = {
            "messageId": uuid.uuid4().hex,
            "role": "ROLE_AGENT",
            "parts": [{"text": note}],
            "taskId": str(task.id),
            "contextId": task.context_id,
        }
    return dataclasses.replace(
        task,
        state=state,
        status_at=now,
        status_message=message,
        lease_id=None,
        lease_expires_at=None,
        agent_id=None,
        expiries=task.expiries if expiries is None else expiries,
    )


def _release(tr: Transaction, task: HubTask) -> None:
    key = repo.lease_key(task)
    if key is not None:
        tr.clear(key)


def _claim_once(
    tr: Transaction, agent: Agent, lease_id: str, claimed: list[uuid.UUID]
) -> tuple[HubTask | None, int | None]:
    """One attempt: (the task now leased to ``lease_id``, None) or (None, next expiry ms)."""
    now = clock.now()
    if claimed:  # an earlier attempt may have committed (1021): is the lease ours?
        task = tasks.get(tr, claimed[0])
        if task is not None and task.lease_id == lease_id:
            return task, None
        claimed.clear()
    _requeue_expired(tr, agent.tenant_id, now)
    heads = [repo.queue_head(tr, agent.tenant_id, skill) for skill in agent.skill_ids]
    candidates = sorted(head for head in heads if head is not None)
    for task_id in candidates:
        task = tasks.get(tr, task_id)
        if task is None or task.state != SUBMITTED or task.lease_id is not None:
            if task is not None:
                repo.queue_remove(tr, task)
            continue
        expires = now + timedelta(seconds=agents_setting("LEASE_SECONDS"))
        leased = dataclasses.replace(
            task, lease_id=lease_id, lease_expires_at=expires, agent_id=agent.id
        )
        repo.queue_remove(tr, task)
        tasks.update(tr, None, leased)
        tr.set(repo.lease_key(leased), b"")
        claimed.append(task.id)
        return leased, None
    return None, repo.next_lease_expiry_ms(tr.snapshot, agent.tenant_id)


def task_claim(
    *, tenant_id: uuid.UUID, agent_id: str, timeout: float
) -> tuple[HubTask, dict[str, Any]] | None:
    """Lease the oldest submitted task among the agent's skills, waiting up to ``timeout``
    seconds for one; None if none came. Waits on the skills' signal keys (watches) and
    wakes early for the next lease to run out; never polls the store. Blocks a thread:
    the server's claim endpoint uses ``task_claim_async``."""
    claim = _Claim(tenant_id, agent_id, timeout)
    while True:
        with claim.armed() as watches:
            done, result, wait = claim.attempt()
            if done:
                return result
            wait_any(watches, wait)


async def task_claim_async(
    *, tenant_id: uuid.UUID, agent_id: str, timeout: float
) -> tuple[HubTask, dict[str, Any]] | None:
    """``task_claim`` for the event loop: each store call in a thread for its own
    duration only; the wait holds no thread at all."""
    claim = await asyncio.to_thread(_Claim, tenant_id, agent_id, timeout)
    while True:
        with claim.armed() as watches:
            done, result, wait = await asyncio.to_thread(claim.attempt)
            if done:
                return result
            await wait_any_async(watches, wait)


class _Claim:
    """One claim request: its agent, lease id and deadline, across attempts."""

    def __init__(self, tenant_id: uuid.UUID, agent_id: str, timeout: float) -> None:
        self.db = get_database()
        self.agent = self.db.transact(
            lambda tr: agent_in_tenant(tr, tenant_id=tenant_id, agent_id=agent_id)
        )
        self.lease_id = uuid.uuid4().hex
        self.claimed: list[uuid.UUID] = []
        self.deadline = time.monotonic() + timeout

    @contextlib.contextmanager
    def armed(self) -> Iterator[list[Watch]]:
        """Watches on the skills' signal keys, armed before the attempt reads."""
        tenant = self.agent.tenant_id
        watches = [self.db.watch(repo.signal_key(tenant, s)) for s in self.agent.skill_ids]
        try:
            yield watches
        finally:
            for watch in watches:
                watch.close()

    def attempt(self) -> tuple[bool, tuple[HubTask, dict[str, Any]] | None, float]:
        """(finished, the claim or None, seconds to wait before the next attempt)."""
        task, next_expiry = self.db.transact(
            lambda tr: _claim_once(tr, self.agent, self.lease_id, self.claimed)
        )
        if task is not None:
            view = self.db.transact(lambda tr: task_snapshot(tr, task))
            return True, (task, files.inline(view)), 0
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            return True, None, 0
        if next_expiry is not None:
            until_expiry = next_expiry / 1000 - clock.now().timestamp() + 0.01
            remaining = min(remaining, max(until_expiry, 0.01))
        return False, None, remaining


# -- worker updates -------------------------------------------------------------------------
def task_update(
    *,
    tenant_id: uuid.UUID,
    task_id: str,
    lease_id: str,
    state: str | None = None,
    message: Any = None,
    artifact_body: Any = None,
) -> HubTask:
    """A worker's progress: accepted only under the task's current, unexpired lease.
    Renews the lease; a terminal state releases it and is final; input-required
    releases it too (the client answers, and the task is queued again)."""
    limit_msg = agents_setting("MAX_MESSAGE_BYTES")
    limit_art = agents_setting("MAX_ARTIFACT_BYTES")
    checked_artifact = (
        artifact(artifact_body, limit=limit_art) if artifact_body is not None else None
    )
    checked_message = agent_message(message, limit=limit_msg) if message is not None else None
    blobs: list[Any] = []
    if checked_message is not None:
        files.check_size(checked_message, limit=agents_setting("MAX_FILE_BYTES"), what="message")
    if checked_artifact is not None:
        files.check_size(checked_artifact, limit=agents_setting("MAX_FILE_BYTES"), what="artifact")
        checked_artifact, blobs = _store_files(checked_artifact, "artifact")
    if checked_message is not None:
        checked_message, more = _store_files(checked_message, "message")
        blobs += more

    def update(tr: Transaction) -> HubTask:
        now = clock.now()
        task = task_in_tenant(tr, tenant_id=tenant_id, task_id=task_id)
        if task.terminal:
            raise TaskFinal()
        expired = task.lease_expires_at is None or task.lease_expires_at <= now
        if task.lease_id != lease_id or expired:
            raise LeaseNotHeld()
        body = tied(checked_message, task) if checked_message is not None else None
        _release(tr, task)
        if checked_artifact is not None:
            task = _log(
                tr,
                task,
                {
                    "artifactUpdate": {
                        "taskId": str(task.id),
                        "contextId": task.context_id,
                        "artifact": checked_artifact,
                    }
                },
            )
        if state is not None or body is not None:
            new_state = WORKER_STATES[state] if state is not None else task.state
            task = dataclasses.replace(task, state=new_state, status_at=now, status_message=body)
            task = _log(tr, task, status_event(task))
        if task.terminal or task.state == INPUT_REQUIRED:
            task = dataclasses.replace(task, lease_id=None, lease_expires_at=None)
        else:
            expires = now + timedelta(seconds=agents_setting("LEASE_SECONDS"))
            task = dataclasses.replace(task, lease_expires_at=expires)
            tr.set(repo.lease_key(task), b"")
        tasks.update(tr, None, task)
        files.publish(tr, task.id, blobs)
        return task

    return _transact_with(update, blobs)


def task_cancel(*, tenant_id: uuid.UUID, task_id: str, principal: Any = None) -> HubTask:
    """Cancel a task that is not terminal (submitted, leased or waiting for input);
    a terminal one, canceled included, is ``TaskNotCancelable``, unless this call's own
    earlier attempt canceled it (a retry after a maybe-committed error). With a
    ``principal``: only the task's submitter, or an admin+ (``CANCEL_OTHERS_TASKS``)."""
    attempted = False

    def cancel(tr: Transaction) -> HubTask:
        nonlocal attempted
        task = task_in_tenant(tr, tenant_id=tenant_id, task_id=task_id)
        if task.state == CANCELED and attempted:
            return task
        attempted = True
        if principal is not None and not _may_cancel(tr, task, principal):
            raise CancelDenied()
        if task.terminal:
            raise TaskNotCancelable()
        repo.queue_remove(tr, task)
        _release(tr, task)
        canceled = _unleased(task, state=CANCELED, now=clock.now())
        canceled = _log(tr, canceled, status_event(canceled))
        tasks.update(tr, None, canceled)
        return canceled

    return get_database().transact(cancel)
