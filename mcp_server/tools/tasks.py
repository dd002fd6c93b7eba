"""The agent task board's tools: submit, list, read and cancel the tenant's hub tasks.

Each tool builds the A2A request its JSON-RPC face would receive and hands it to
the hub's own ``RequestHandler`` (``agents.a2a_handler``), in a call context
carrying the MCP principal, so every rule (skill routing, message checks and
limits, the blocking wait, list filters and pages, history length, cancel) has one
implementation. Results are the A2A task JSON (camelCase, as GetTask answers);
the handler's A2A errors become tool errors a model can act on."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from a2a.server.context import ServerCallContext
from a2a.types import a2a_pb2
from a2a.utils.errors import (
    A2AError,
    InvalidParamsError,
    TaskNotCancelableError,
    TaskNotFoundError,
)
from google.protobuf import json_format
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations
from pydantic import Field

from agents.a2a_handler import HubRequestHandler
from agents.task_store import DEFAULT_PAGE, MAX_PAGE
from mcp_server.errors import tool_errors
from mcp_server.principal import principal_of
from mcp_server.tools.shapes import TaskData, TaskPage

READ_ONLY = ToolAnnotations(readOnlyHint=True, idempotentHint=True, openWorldHint=False)
STATES = tuple(
    name for name in a2a_pb2.TaskState.DESCRIPTOR.values_by_name if name != "TASK_STATE_UNSPECIFIED"
)
TaskState = Literal[STATES]  # type: ignore[valid-type]
TaskId = Annotated[str, Field(description="The task's id, as tasks_submit or tasks_list give it.")]
HistoryLength = Annotated[
    int | None,
    Field(description="Keep only the last N history messages (0: none); omit for all.", ge=0),
]

_hub = HubRequestHandler()


def _context(ctx: Context) -> ServerCallContext:
    """The A2A call context of this MCP request: the principal (its tenant) as A2A's has it."""
    return ServerCallContext(state={"principal": principal_of(ctx), "base_url": ""})


def _json(task: a2a_pb2.Task) -> TaskData:
    return json_format.MessageToDict(task)  # type: ignore[return-value]


def _no_such_task(task_id: str) -> ToolError:
    return ToolError(f"no such task: {task_id} (tasks_list shows this tenant's tasks)")


def _unknown_skill(skill_id: str | None, known: list[str]) -> ToolError:
    if not known:
        return ToolError(
            "no worker agent of this tenant declares a skill yet: a worker registers "
            "(POST /api/v5/agents) with its skills before tasks can be submitted"
        )
    named = f"unknown skill: {skill_id}" if skill_id else "skillId is required"
    return ToolError(f"{named} (known skills: {', '.join(known)})")


def _a2a_error(exc: A2AError) -> ToolError:
    return ToolError(str(exc.message).rstrip("."))


def _history(length: int | None) -> a2a_pb2.GetTaskRequest:
    config = a2a_pb2.GetTaskRequest()
    if length is not None:
        config.history_length = length
    return config


@tool_errors
async def tasks_submit(
    ctx: Context,
    skillId: Annotated[
        str | None,
        Field(description="The skill to route the task to (a registered worker declares it)."),
    ] = None,
    text: Annotated[str | None, Field(description="The request, as text.")] = None,
    data: Annotated[
        dict[str, Any] | None, Field(description="Structured input (a JSON object).")
    ] = None,
    contextId: Annotated[
        str | None,
        Field(
            description="Groups related tasks (tasks_list filters by it); pass a workspace "
            "session's id to tie the task to that session. Omit for a new context."
        ),
    ] = None,
    taskId: Annotated[
        str | None,
        Field(description="Answer this task, waiting in TASK_STATE_INPUT_REQUIRED, instead."),
    ] = None,
    returnImmediately: Annotated[
        bool,
        Field(
            description="Return at once (state submitted) instead of waiting up to 30 s "
            "for the task to finish or to ask for input; then poll task_get."
        ),
    ] = False,
) -> TaskData:
    """Hand a task to the tenant's worker agents (the A2A hub): a message of text and/or
    data for one skill. Returns the task (id, status, history, artifacts)."""
    parts: list[dict[str, Any]] = []
    if text is not None:
        parts.append({"text": text})
    if data is not None:
        parts.append({"data": data})
    if not parts:
        raise ToolError("the message is empty: give text, data, or both")
    message: dict[str, Any] = {"messageId": uuid.uuid4().hex, "role": "ROLE_USER", "parts": parts}
    if skillId is not None:
        message["metadata"] = {"skillId": skillId}
    if contextId:
        message["contextId"] = contextId
    if taskId:
        message["taskId"] = taskId
    request = a2a_pb2.SendMessageRequest(
        message=json_format.ParseDict(message, a2a_pb2.Message()),
        configuration=a2a_pb2.SendMessageConfiguration(return_immediately=returnImmediately),
    )
    try:
        task = await _hub.on_message_send(request, _context(ctx))
    except TaskNotFoundError:
        raise _no_such_task(taskId or "") from None
    except InvalidParamsError as exc:
        if exc.data and "knownSkills" in exc.data:
            raise _unknown_skill(skillId, exc.data["knownSkills"]) from None
        raise _a2a_error(exc) from None
    except A2AError as exc:
        raise _a2a_error(exc) from None
    return _json(task)


@tool_errors
async def tasks_list(
    ctx: Context,
    contextId: Annotated[str | None, Field(description="Only tasks of this context.")] = None,
    state: Annotated[TaskState | None, Field(description="Only tasks in this state.")] = None,
    limit: Annotated[
        int, Field(description=f"Page size, 1 to {MAX_PAGE}.", ge=1, le=MAX_PAGE)
    ] = DEFAULT_PAGE,
    cursor: Annotated[
        str | None, Field(description="nextCursor of the previous page; omit for the first.")
    ] = None,
    historyLength: HistoryLength = 1,
    includeArtifacts: Annotated[
        bool, Field(description="Include each task's artifacts (task_get always does).")
    ] = False,
) -> TaskPage:
    """List the tenant's hub tasks, newest first, one page at a time; a sparse filter may
    give a short (even empty) page with a nextCursor to continue."""
    request = a2a_pb2.ListTasksRequest(page_size=limit, include_artifacts=includeArtifacts)
    if contextId:
        request.context_id = contextId
    if state is not None:
        request.status = a2a_pb2.TaskState.Value(state)
    if cursor:
        request.page_token = cursor
    if historyLength is not None:
        request.history_length = historyLength
    try:
        page = await _hub.on_list_tasks(request, _context(ctx))
    except InvalidParamsError as exc:
        if "pageToken" in str(exc.message):
            raise ToolError("cursor is not valid: pass nextCursor of the previous page") from None
        raise _a2a_error(exc) from None
    return {
        "tasks": [_json(task) for task in page.tasks],
        "nextCursor": page.next_page_token or None,
        "limit": limit,
    }


@tool_errors
async def task_get(ctx: Context, taskId: TaskId, historyLength: HistoryLength = None) -> TaskData:
    """Get one hub task of the tenant: its status, its history (the messages exchanged)
    and its artifacts (the worker's results)."""
    request = _history(historyLength)
    request.id = taskId
    try:
        task = await _hub.on_get_task(request, _context(ctx))
    except TaskNotFoundError:
        raise _no_such_task(taskId) from None
    return _json(task)


@tool_errors
async def task_cancel(ctx: Context, taskId: TaskId) -> TaskData:
    """Cancel a hub task that has not finished (submitted, being worked on, or waiting for
    input). A finished task cannot be canceled."""
    try:
        task = await _hub.on_cancel_task(a2a_pb2.CancelTaskRequest(id=taskId), _context(ctx))
    except TaskNotFoundError:
        raise _no_such_task(taskId) from None
    except TaskNotCancelableError:
        raise ToolError(
            f"task {taskId} cannot be canceled: it has already finished (task_get shows how)"
        ) from None
    if task is None:  # deleted between the cancel and the read
        raise _no_such_task(taskId)
    return _json(task)


def register(server: MCPServer) -> None:
    server.add_tool(tasks_submit, name="tasks_submit")
    server.add_tool(tasks_list, name="tasks_list", annotations=READ_ONLY)
    server.add_tool(task_get, name="task_get", annotations=READ_ONLY)
    server.add_tool(
        task_cancel,
        name="task_cancel",
        annotations=ToolAnnotations(destructiveHint=True, idempotentHint=False),
    )
