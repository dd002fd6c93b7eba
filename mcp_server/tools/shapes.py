"""Structured results: the shapes of the REST ``data`` (camelCase), as TypedDicts so
the SDK publishes them as each tool's output schema."""

from __future__ import annotations

from typing import Any, NotRequired

from typing_extensions import TypedDict


class UserData(TypedDict):
    id: str
    email: str
    name: str
    firstName: str
    lastName: str
    role: str
    company: str | None
    avatarUrl: str | None  # issue 9: the avatar's path, null without one
    tenantId: str


class SessionData(TypedDict):
    id: str
    tenantId: str
    userId: str
    name: str
    workspacePath: str | None
    createdAt: str
    updatedAt: str


class SessionPage(TypedDict):
    sessions: list[SessionData]
    nextCursor: str | None
    limit: int


class Deleted(TypedDict):
    deleted: bool
    id: str


class FileData(TypedDict):
    path: str
    name: str
    type: str
    size: int
    etag: str | None
    contentType: str | None
    updatedAt: str
    uri: str | None


class FilePage(TypedDict):
    files: list[FileData]
    nextCursor: str | None
    limit: int


class DeletedFile(TypedDict):
    deleted: bool
    path: str


class FileChunk(TypedDict):
    path: str
    size: int
    offset: int
    length: int
    nextOffset: int | None
    contentType: str
    etag: str | None
    encoding: str
    uri: str


class SearchMatch(TypedDict):
    path: str
    line: int | None
    text: str | None


class SearchResult(TypedDict):
    matches: list[SearchMatch]
    scannedFiles: int
    complete: bool
    nextCursor: str | None
    note: str | None


class TaskStatus(TypedDict):
    """A2A ``TaskStatus``: the state (``TASK_STATE_...``), when, and the agent's message."""

    state: str
    timestamp: str
    message: NotRequired[dict[str, Any]]


class TaskData(TypedDict):
    """An A2A ``Task`` as GetTask answers it (camelCase JSON)."""

    id: str
    contextId: str
    status: TaskStatus
    history: NotRequired[list[dict[str, Any]]]
    artifacts: NotRequired[list[dict[str, Any]]]
    metadata: NotRequired[dict[str, Any]]


class TaskPage(TypedDict):
    tasks: list[TaskData]
    nextCursor: str | None
    limit: int
