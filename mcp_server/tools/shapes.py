"""Structured results: the shapes of the REST ``data`` (camelCase), as TypedDicts so
the SDK publishes them as each tool's output schema."""

from __future__ import annotations

from typing_extensions import TypedDict


class UserData(TypedDict):
    id: str
    email: str
    name: str
    firstName: str
    lastName: str
    role: str
    company: str | None
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
