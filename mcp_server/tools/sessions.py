"""whoami and the session tools: the REST endpoints' services and selectors,
validated by the REST serializers, so every rule has one implementation."""

from typing import Annotated, Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations
from pydantic import Field
from rest_framework.exceptions import ValidationError

from accounts.selectors import user_me
from accounts.serializers import UserSerializer
from mcp_server.errors import tool_errors
from mcp_server.principal import principal_of
from mcp_server.tools.shapes import Deleted, SessionData, SessionPage, UserData
from sessions_api.errors import SessionNotFound
from sessions_api.selectors import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, session_get, session_list
from sessions_api.serializers import (
    SessionInputSerializer,
    SessionListQuerySerializer,
    session_data,
    stored_session_data,
)
from sessions_api.services import session_create, session_delete

SessionId = Annotated[
    str, Field(description="The session's id (a UUID), as sessions_list gives it.")
]
READ_ONLY = ToolAnnotations(readOnlyHint=True, idempotentHint=True, openWorldHint=False)


def validated(serializer_class: type, data: dict[str, Any]) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise ValidationError(serializer.errors)
    return dict(serializer.validated_data)


def _not_found(session_id: str) -> ToolError:
    return ToolError(f"no such session: {session_id} (sessions_list shows this tenant's sessions)")


@tool_errors
def whoami(ctx: Context) -> UserData:
    """Who these credentials act for: the user, their role, and the tenant every tool works in."""
    principal = principal_of(ctx)
    data = dict(UserSerializer(user_me(principal=principal)).data)
    data["tenantId"] = str(principal.tenant_id)
    return data  # type: ignore[return-value]


@tool_errors
def sessions_list(
    ctx: Context,
    limit: Annotated[
        int, Field(description=f"Page size, 1 to {MAX_PAGE_SIZE}.", ge=1, le=MAX_PAGE_SIZE)
    ] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[
        str | None, Field(description="nextCursor of the previous page; omit for the first.")
    ] = None,
) -> SessionPage:
    """List the tenant's workspace sessions, newest first, one page at a time."""
    principal = principal_of(ctx)
    query: dict[str, Any] = {"limit": limit}
    if cursor:
        query["cursor"] = cursor
    validated(SessionListQuerySerializer, query)
    page = session_list(
        tenant_id=principal.tenant_id, limit=limit, cursor=cursor or None, fields=True
    )
    sessions = [stored_session_data(fields) for fields in page.items]
    return {"sessions": sessions, "nextCursor": page.next_cursor, "limit": limit}  # type: ignore[typeddict-item]


@tool_errors
def session_create_tool(
    ctx: Context,
    name: Annotated[str, Field(description="A short name for the session (1-200 characters).")],
    workspacePath: Annotated[
        str | None, Field(description="The workspace directory the session works in.")
    ] = None,
) -> SessionData:
    """Create a workspace session in the tenant and return it."""
    principal = principal_of(ctx)
    data: dict[str, Any] = {"name": name}
    if workspacePath is not None:
        data["workspacePath"] = workspacePath
    fields = validated(SessionInputSerializer, data)
    return session_data(session_create(principal=principal, **fields))  # type: ignore[return-value]


@tool_errors
def session_get_tool(ctx: Context, sessionId: SessionId) -> SessionData:
    """Get one workspace session of the tenant by id."""
    principal = principal_of(ctx)
    try:
        session = session_get(tenant_id=principal.tenant_id, session_id=sessionId)
    except SessionNotFound:
        raise _not_found(sessionId) from None
    return session_data(session)  # type: ignore[return-value]


@tool_errors
def session_delete_tool(ctx: Context, sessionId: SessionId) -> Deleted:
    """Delete a workspace session of the tenant (and everything in it). Cannot be undone."""
    principal = principal_of(ctx)
    try:
        session_delete(principal=principal, session_id=sessionId)
    except SessionNotFound:
        raise _not_found(sessionId) from None
    return {"deleted": True, "id": sessionId}


def register(server: MCPServer) -> None:
    server.add_tool(whoami, name="whoami", annotations=READ_ONLY)
    server.add_tool(sessions_list, name="sessions_list", annotations=READ_ONLY)
    server.add_tool(session_create_tool, name="session_create")
    server.add_tool(session_get_tool, name="session_get", annotations=READ_ONLY)
    server.add_tool(
        session_delete_tool,
        name="session_delete",
        annotations=ToolAnnotations(destructiveHint=True, idempotentHint=False),
    )
