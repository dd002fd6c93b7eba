"""The SDK's ``TaskStore`` on fdbstore: A2A tasks as the hub keeps them, tenant-scoped.

The tenant comes from the call context (``context.state["principal"]``, set by
``agents.a2a_auth``). Reads give the SDK's ``Task`` type; a hub task changes only
through the hub's own use cases (``agents.services``: submit, claim, update,
cancel), each one fdbstore transaction, so ``save`` is refused rather than
letting a second writer overwrite a worker's progress.
"""

from __future__ import annotations

import asyncio
import uuid

from a2a.server.context import ServerCallContext
from a2a.server.tasks.task_store import TaskStore
from a2a.types import a2a_pb2
from a2a.utils.errors import InvalidParamsError, UnsupportedOperationError

from agents import files
from agents.errors import TaskNotFound
from agents.protocol import as_task
from agents.repositories import tasks
from agents.selectors import task_get, task_snapshot
from fdbstore.connection import get_database
from fdbstore.cursors import InvalidCursor, decode_cursor

DEFAULT_PAGE = 50
MAX_PAGE = 100
_SCAN_PAGES = 10  # filtered listing reads at most this many pages per request


def tenant_of(context: ServerCallContext) -> uuid.UUID:
    return context.state["principal"].tenant_id


class FdbTaskStore(TaskStore):
    async def get(self, task_id: str, context: ServerCallContext) -> a2a_pb2.Task | None:
        try:
            _, view = await asyncio.to_thread(
                task_get, tenant_id=tenant_of(context), task_id=task_id
            )
        except TaskNotFound:
            return None
        return as_task(view)

    async def save(self, task: a2a_pb2.Task, context: ServerCallContext) -> None:
        raise UnsupportedOperationError(message="Hub tasks change through the hub only.")

    async def delete(self, task_id: str, context: ServerCallContext) -> None:
        raise UnsupportedOperationError(message="Hub tasks are deleted with their tenant.")

    async def list(
        self, params: a2a_pb2.ListTasksRequest, context: ServerCallContext
    ) -> a2a_pb2.ListTasksResponse:
        size = params.page_size if params.HasField("page_size") else DEFAULT_PAGE
        if not 1 <= size <= MAX_PAGE:
            raise InvalidParamsError(message=f"pageSize must be 1 to {MAX_PAGE}.")
        cursor = params.page_token or None
        if cursor is not None:
            try:
                decode_cursor(cursor)
            except InvalidCursor:
                raise InvalidParamsError(message="pageToken is not valid.") from None
        tenant = tenant_of(context)
        state = a2a_pb2.TaskState.Name(params.status) if params.status else None
        views, next_token = await asyncio.to_thread(
            _filtered_page, tenant, size, cursor, params.context_id or None, state
        )
        response = a2a_pb2.ListTasksResponse(
            next_page_token=next_token or "", page_size=size, total_size=len(views)
        )
        response.tasks.extend(as_task(view) for view in views)
        return response


def _filtered_page(
    tenant: uuid.UUID, size: int, cursor: str | None, context_id: str | None, state: str | None
) -> tuple[list[dict], str | None]:
    """Up to ``size`` of the tenant's tasks, newest first, matching the filters; reads a
    bounded number of pages, so a sparse filter may answer a short page with a token."""
    found: list[dict] = []
    for _ in range(_SCAN_PAGES):

        def page(tr, after=cursor):
            result = tasks.page_by_index(
                tr, "by_tenant", (tenant,), limit=size - len(found), cursor=after, reverse=True
            )
            return result, [
                task_snapshot(tr, task)
                for task in result.items
                if task.tenant_id == tenant
                and (context_id is None or task.context_id == context_id)
                and (state is None or task.state == state)
            ]

        result, views = get_database().transact(page)
        found.extend(files.inline(views))
        cursor = result.next_cursor
        if cursor is None or len(found) >= size:
            break
    return found, cursor
