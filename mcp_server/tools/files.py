"""The workspace file tools that list and change the tree: files_list, file_write,
file_delete, file_move. Each calls the files app's selectors and services, as
the REST endpoints do; a path is parsed by the same rules (``files.paths``)."""

import base64
import binascii
from typing import Annotated, Any, Literal

from django.conf import settings
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations
from pydantic import Field

from files.conditions import Preconditions
from files.errors import FileNotFound
from files.paths import join, parse_path
from files.selectors import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, file_list_query
from files.serializers import FileListQuerySerializer, entry_data
from files.services import file_delete, file_move, file_put
from mcp_server.errors import tool_errors
from mcp_server.principal import principal_of
from mcp_server.tools.sessions import READ_ONLY, SessionId, validated
from mcp_server.tools.shapes import DeletedFile, FileData, FilePage

# One call's content: the MCP request body is at most 4 MiB, and base64 grows by 4/3.
WRITE_MAX_BYTES = 2 * 1024 * 1024
FilePath = Annotated[
    str, Field(description="A file's path from the session's root, '/'-separated: src/app.py")
]


def file_uri(session_id: str, path: str) -> str:
    """The file's resource URI (the ``coditect://sessions/{sessionId}/files/{+path}`` template)."""
    return f"coditect://sessions/{session_id}/files/{path}"


def file_data(session_id: str, path: str, entry: Any) -> FileData:
    data = entry_data(path, entry)
    data["uri"] = file_uri(session_id, path) if not entry.is_dir else None
    return data  # type: ignore[return-value]


def missing(path: str) -> ToolError:
    return ToolError(f"no such file: {path} (files_list shows what the session holds)")


@tool_errors
def files_list(
    ctx: Context,
    sessionId: SessionId,
    path: Annotated[str, Field(description="A directory; empty for the session's root.")] = "",
    recursive: Annotated[
        bool, Field(description="Also list every subdirectory's entries.")
    ] = False,
    glob: Annotated[
        str | None, Field(description="Keep paths (relative to `path`) matching this, e.g. **/*.py")
    ] = None,
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Field(description="nextCursor of the previous page.")] = None,
) -> FilePage:
    """List a session's files and directories in name order, one page at a time."""
    principal = principal_of(ctx)
    query = {"path": path, "recursive": recursive, "limit": limit}
    query.update({k: v for k, v in (("glob", glob), ("cursor", cursor)) if v})
    data = validated(FileListQuerySerializer, query)
    try:
        listing = file_list_query(principal=principal, session_id=sessionId, query=data)
    except FileNotFound:
        raise missing(path) from None
    files = [file_data(sessionId, item_path, entry) for item_path, entry in listing.items]
    return {"files": files, "nextCursor": listing.next_cursor, "limit": data["limit"]}


@tool_errors
def file_write(
    ctx: Context,
    sessionId: SessionId,
    path: FilePath,
    content: Annotated[str, Field(description="The whole new content of the file.")],
    encoding: Annotated[
        Literal["utf-8", "base64"],
        Field(description="utf-8 for text; base64 for binary content."),
    ] = "utf-8",
    ifMatch: Annotated[
        str | None, Field(description="Only replace this version (an etag from files_list).")
    ] = None,
) -> FileData:
    """Create or replace a file with the given content (parents are created)."""
    principal = principal_of(ctx)
    parts = parse_path(path)
    body = _decode(content, encoding)
    limit = min(WRITE_MAX_BYTES, settings.FILES_MAX_BYTES)
    if len(body) > limit:
        raise ToolError(
            f"content too large: {len(body)} bytes; file_write takes at most {limit} bytes "
            "(upload larger files with the REST API's PUT /sessions/{id}/files/{path})"
        )
    pre = Preconditions(if_match=(ifMatch,)) if ifMatch else None
    written = file_put(
        principal=principal,
        session_id=sessionId,
        parts=parts,
        body=[body],
        length=len(body),
        pre=pre,
    )
    return file_data(sessionId, join(parts), written.entry)


def _decode(content: str, encoding: str) -> bytes:
    if encoding == "utf-8":
        try:
            return content.encode("utf-8")
        except UnicodeEncodeError:
            raise ToolError("content is not valid UTF-8 text (lone surrogates)") from None
    try:
        return base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        raise ToolError("content is not valid base64") from None


@tool_errors
def file_delete_tool(
    ctx: Context,
    sessionId: SessionId,
    path: FilePath,
    recursive: Annotated[
        bool, Field(description="Required to delete a directory that is not empty.")
    ] = False,
) -> DeletedFile:
    """Delete a file, or a directory (with recursive for one that is not empty)."""
    principal = principal_of(ctx)
    parts = parse_path(path)
    try:
        file_delete(principal=principal, session_id=sessionId, parts=parts, recursive=recursive)
    except FileNotFound:
        raise missing(path) from None
    return {"deleted": True, "path": join(parts)}


@tool_errors
def file_move_tool(
    ctx: Context,
    sessionId: SessionId,
    path: Annotated[str, Field(description="The file or directory to move.")],
    to: Annotated[str, Field(description="Its new path; missing parents are created.")],
    overwrite: Annotated[bool, Field(description="Let a file replace a file at `to`.")] = False,
) -> FileData:
    """Move or rename a file or a whole directory (one small step, whatever it holds)."""
    principal = principal_of(ctx)
    source, target = parse_path(path), parse_path(to)
    try:
        entry = file_move(
            principal=principal,
            session_id=sessionId,
            source=source,
            target=target,
            overwrite=overwrite,
        )
    except FileNotFound:
        raise missing(path) from None
    return file_data(sessionId, join(target), entry)


def register(server: MCPServer) -> None:
    server.add_tool(files_list, name="files_list", annotations=READ_ONLY)
    server.add_tool(file_write, name="file_write", annotations=ToolAnnotations(idempotentHint=True))
    server.add_tool(
        file_delete_tool, name="file_delete", annotations=ToolAnnotations(destructiveHint=True)
    )
    server.add_tool(file_move_tool, name="file_move")
