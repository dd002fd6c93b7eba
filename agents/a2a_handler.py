"""The A2A face: the SDK's ``RequestHandler`` over the hub's use cases.

The SDK's JSON-RPC routes (``a2a.server.routes``) parse and validate every
request, check ``A2A-Version``, map errors to the specification's codes and
stream over SSE; this handler answers each method from fdbstore. The SDK's
``DefaultRequestHandler`` runs an agent inside the server process; here the
agents are the tenant's workers, elsewhere, and the task lives in the store,
so this handler submits, waits on a watch of the task's key, and reads.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncGenerator
from typing import Any

from a2a.server.context import ServerCallContext
from a2a.server.request_handlers.request_handler import RequestHandler
from a2a.types import a2a_pb2
from a2a.utils.errors import (
    InvalidParamsError,
    PushNotificationNotSupportedError,
    TaskNotCancelableError,
    TaskNotFoundError,
    UnsupportedOperationError,
)
from a2a.utils.task import apply_history_length
from google.protobuf import json_format

from agents import errors, files, services
from agents.card import agent_card
from agents.conf import agents_setting
from agents.protocol import as_task, user_message
from agents.records import INPUT_REQUIRED, TERMINAL, HubTask
from agents.repositories import log_read
from agents.selectors import task_get, task_in_tenant, tenant_skills
from agents.task_store import FdbTaskStore, tenant_of
from fdbstore.connection import get_database
from fdbstore.keys import keyspace

STREAM_EVENTS = {
    "statusUpdate": a2a_pb2.TaskStatusUpdateEvent,
    "artifactUpdate": a2a_pb2.TaskArtifactUpdateEvent,
}


def _ends(state: str) -> bool:
    return state == INPUT_REQUIRED or state in TERMINAL


class HubRequestHandler(RequestHandler):
    def __init__(self) -> None:
        self.task_store = FdbTaskStore()

    # -- reads ------------------------------------------------------------------------
    async def on_get_task(
        self, params: a2a_pb2.GetTaskRequest, context: ServerCallContext
    ) -> a2a_pb2.Task | None:
        task = await self.task_store.get(params.id, context)
        if task is None:
            raise TaskNotFoundError
        return apply_history_length(task, params)

    async def on_list_tasks(
        self, params: a2a_pb2.ListTasksRequest, context: ServerCallContext
    ) -> a2a_pb2.ListTasksResponse:
        page = await self.task_store.list(params, context)
        for task in page.tasks:
            if not params.include_artifacts:
                task.ClearField("artifacts")
            shortened = apply_history_length(task, params)
            if shortened is not task:
                task.CopyFrom(shortened)
        return page

    # -- sending ----------------------------------------------------------------------
    async def _submit(
        self, params: a2a_pb2.SendMessageRequest, context: ServerCallContext
    ) -> HubTask:
        try:
            message = user_message(
                json_format.MessageToDict(params.message),
                limit=agents_setting("MAX_MESSAGE_BYTES"),
            )
        except (errors.TooLarge, errors.InvalidParts) as exc:
            raise InvalidParamsError(message=str(exc.message)) from None
        file_limit = agents_setting("MAX_FILE_BYTES")
        if sum(len(part.raw) for part in params.message.parts) > file_limit:
            raise InvalidParamsError(message=f"The message's files exceed {file_limit} bytes.")
        tenant = tenant_of(context)
        try:
            if params.message.task_id:
                return await asyncio.to_thread(
                    services.task_continue,
                    tenant_id=tenant,
                    task_id=params.message.task_id,
                    message=message,
                )
            skill = params.message.metadata.fields.get("skillId")
            skill_id = skill.string_value if skill is not None else None
            return await asyncio.to_thread(
                services.task_submit,
                tenant_id=tenant,
                skill_id=skill_id,
                message=message,
                context_id=params.message.context_id or None,
                submitted_by=context.state["principal"].user_id,
            )
        except errors.UnknownSkill as exc:
            raise InvalidParamsError(message=exc.message, data={"knownSkills": exc.known}) from None
        except errors.TaskNotFound:
            raise TaskNotFoundError from None
        except (errors.TooLarge, errors.InvalidParts, errors.InvalidContext) as exc:
            raise InvalidParamsError(message=exc.message) from None
        except (errors.TaskFinal, errors.TaskNotContinuable) as exc:
            raise UnsupportedOperationError(message=str(exc.message)) from None

    async def on_message_send(
        self, params: a2a_pb2.SendMessageRequest, context: ServerCallContext
    ) -> a2a_pb2.Task:
        task = await self._submit(params, context)
        if not params.configuration.return_immediately:
            await _wait_for_end(task, agents_setting("BLOCKING_SEND_SECONDS"))
        _, view = await asyncio.to_thread(task_get, tenant_id=task.tenant_id, task_id=task.id)
        return apply_history_length(as_task(view), params.configuration)

    async def on_message_send_stream(
        self, params: a2a_pb2.SendMessageRequest, context: ServerCallContext
    ) -> AsyncGenerator[Any, None]:
        task = await self._submit(params, context)
        async for event in _follow(task.tenant_id, task.id):
            yield event

    async def on_subscribe_to_task(
        self, params: a2a_pb2.SubscribeToTaskRequest, context: ServerCallContext
    ) -> AsyncGenerator[Any, None]:
        try:
            task, _ = await asyncio.to_thread(
                task_get, tenant_id=tenant_of(context), task_id=params.id
            )
        except errors.TaskNotFound:
            raise TaskNotFoundError from None
        if task.terminal:
            raise UnsupportedOperationError(
                message=f"Task {task.id} is in terminal state: {task.state}"
            )
        async for event in _follow(task.tenant_id, task.id):
            yield event

    async def on_cancel_task(
        self, params: a2a_pb2.CancelTaskRequest, context: ServerCallContext
    ) -> a2a_pb2.Task | None:
        tenant = tenant_of(context)
        try:
            await asyncio.to_thread(
                services.task_cancel,
                tenant_id=tenant,
                task_id=params.id,
                principal=context.state["principal"],
            )
        except errors.TaskNotFound:
            raise TaskNotFoundError from None
        except errors.CancelDenied as exc:
            raise TaskNotCancelableError(message=exc.message) from None
        except errors.TaskNotCancelable:
            raise TaskNotCancelableError from None
        return await self.task_store.get(params.id, context)

    # -- cards and what the hub does not offer ---------------------------------------------
    async def on_get_extended_agent_card(
        self, params: a2a_pb2.GetExtendedAgentCardRequest, context: ServerCallContext
    ) -> a2a_pb2.AgentCard:
        tenant = tenant_of(context)
        skills = await asyncio.to_thread(
            get_database().transact, lambda tr: tenant_skills(tr, tenant_id=tenant)
        )
        return agent_card(context.state["base_url"], list(skills.values()))

    async def on_create_task_push_notification_config(self, params, context):
        raise PushNotificationNotSupportedError

    async def on_get_task_push_notification_config(self, params, context):
        raise PushNotificationNotSupportedError

    async def on_list_task_push_notification_configs(self, params, context):
        raise PushNotificationNotSupportedError

    async def on_delete_task_push_notification_config(self, params, context):
        raise PushNotificationNotSupportedError


# -- waiting on the store -----------------------------------------------------------------------
def _read(tenant: uuid.UUID, task_id: uuid.UUID, after: int) -> tuple[HubTask, list]:
    def read(tr):
        task = task_in_tenant(tr, tenant_id=tenant, task_id=task_id)
        return task, log_read(tr, task_id, after=after)

    task, events = get_database().transact(read)
    return task, [(seq, files.inline(event)) for seq, event in events]


async def _wait_for_end(task: HubTask, seconds: float) -> None:
    """Until the task is terminal or interrupted, or ``seconds`` pass; holds no thread."""
    db, key = get_database(), keyspace().a2a_task(task.id)
    deadline = time.monotonic() + seconds
    while True:
        with db.watch(key) as watch:
            current, _ = await asyncio.to_thread(_read, task.tenant_id, task.id, task.seq)
            remaining = deadline - time.monotonic()
            if _ends(current.state) or remaining <= 0:
                return
            await watch.wait_async(remaining)


async def _follow(tenant: uuid.UUID, task_id: uuid.UUID) -> AsyncGenerator[Any, None]:
    """The task as it stands, then each status and artifact event as the store gets it,
    until a terminal or interrupted state."""
    db, key = get_database(), keyspace().a2a_task(task_id)
    record, view = await asyncio.to_thread(task_get, tenant_id=tenant, task_id=task_id)
    yield as_task(view)
    seen = record.seq  # read in the same transaction as the view
    if _ends(record.state):
        return
    while True:
        with db.watch(key) as watch:
            current, events = await asyncio.to_thread(_read, tenant, task_id, seen)
            for seq, event in events:
                seen = seq
                for name, kind in STREAM_EVENTS.items():
                    if name in event:
                        yield json_format.ParseDict(event[name], kind())
            if _ends(current.state) and current.seq <= seen:
                return
            await watch.wait_async(15)
