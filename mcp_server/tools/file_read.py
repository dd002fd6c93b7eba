"""file_read: a file's text, or a binary file as an embedded resource, in byte ranges."""

import base64
from typing import Annotated

from mcp.server.mcpserver import Context, MCPServer
from mcp_types import BlobResourceContents, CallToolResult, EmbeddedResource, TextContent
from pydantic import Field

from files.errors import FileNotFound
from files.paths import join, parse_path
from mcp_server.errors import tool_errors
from mcp_server.principal import principal_of
from mcp_server.reading import READ_MAX_BYTES, as_text, file_bytes, leading_continuation
from mcp_server.tools.files import FilePath, file_uri, missing
from mcp_server.tools.sessions import READ_ONLY, SessionId
from mcp_server.tools.shapes import FileChunk


@tool_errors
def file_read(
    ctx: Context,
    sessionId: SessionId,
    path: FilePath,
    offset: Annotated[int, Field(ge=0, description="First byte to read (nextOffset).")] = 0,
    length: Annotated[
        int, Field(ge=1, le=READ_MAX_BYTES, description=f"Bytes to read, at most {READ_MAX_BYTES}.")
    ] = READ_MAX_BYTES,
) -> Annotated[CallToolResult, FileChunk]:
    """Read a file: its text, or a binary file as an embedded resource (base64). Large
    files come in byte ranges: pass nextOffset back as offset for the next one."""
    principal = principal_of(ctx)
    parts = parse_path(path)
    try:
        chunk = file_bytes(  # 3 bytes more: a character that straddles the end
            principal=principal, session_id=sessionId, parts=parts, offset=offset, length=length + 3
        )
    except FileNotFound:
        raise missing(path) from None
    entry, data = chunk.entry, chunk.data
    uri = file_uri(sessionId, join(parts))
    skip = leading_continuation(data)  # an offset inside a character starts after it
    text = as_text(data[skip:], length=max(0, length - skip))
    if text is None:
        skip, used = 0, min(length, len(data))
    else:
        used = text[1]
    start = chunk.offset + skip
    end = start + used
    meta: FileChunk = {
        "path": join(parts),
        "size": entry.size,
        "offset": start,
        "length": used,
        "nextOffset": end if end < entry.size else None,
        "contentType": entry.content_type,
        "etag": entry.etag,
        "encoding": "utf-8" if text is not None else "base64",
        "uri": uri,
    }
    if text is not None:
        return CallToolResult(content=[TextContent(text=text[0])], structured_content=dict(meta))
    blob = BlobResourceContents(
        uri=uri,
        blob=base64.b64encode(data[:used]).decode(),  # skip is 0 for binary
        mime_type=entry.content_type or "application/octet-stream",
    )
    return CallToolResult(content=[EmbeddedResource(resource=blob)], structured_content=dict(meta))


def register(server: MCPServer) -> None:
    server.add_tool(file_read, name="file_read", annotations=READ_ONLY)
