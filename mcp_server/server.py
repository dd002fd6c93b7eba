"""The MCP server: the official SDK's ``MCPServer`` with this API's tools.

One server definition for both transports (streamable HTTP in
``mcp_server.http``, stdio in ``manage.py mcp``); only how the principal is
found differs (``mcp_server.principal``). Resources are the sessions' files
(``mcp_server.resources``): listed and read per principal, so the two
resource handlers are this subclass's own."""

from __future__ import annotations

import base64
from typing import Any

import anyio.to_thread
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError
from mcp.shared.exceptions import MCPError
from mcp_types import (
    INVALID_PARAMS,
    BlobResourceContents,
    ListResourcesResult,
    ListResourceTemplatesResult,
    ReadResourceRequestParams,
    ReadResourceResult,
    TextResourceContents,
)

from mcp_server import resources
from mcp_server.principal import principal_of
from mcp_server.tools import file_read, files, files_search, sessions, tasks

NAME = "coditect"
INSTRUCTIONS = (
    "Work in one Coditect tenant: its workspace sessions, their files, and the agent task "
    "board (hand tasks to the tenant's worker agents and read their results). Every tool acts in "
    "the tenant of the credentials; whoami says which. Lists are paged: pass nextCursor back "
    "as cursor. File paths are relative to the session's root, '/'-separated (src/app.py)."
)


class CoditectServer(MCPServer):
    async def _handle_list_resources(self, ctx: Any, params: Any) -> ListResourcesResult:
        principal = principal_of(ctx)
        cursor = getattr(params, "cursor", None) if params is not None else None
        items, next_cursor = await anyio.to_thread.run_sync(resources.list_page, principal, cursor)
        return ListResourcesResult(resources=items, next_cursor=next_cursor)

    async def _handle_list_resource_templates(
        self, ctx: Any, params: Any
    ) -> ListResourceTemplatesResult:
        return ListResourceTemplatesResult(resource_templates=[resources.FILE_TEMPLATE])

    async def _handle_read_resource(
        self, ctx: Any, params: ReadResourceRequestParams
    ) -> ReadResourceResult:
        principal = principal_of(ctx)
        uri = str(params.uri)
        try:
            item = await anyio.to_thread.run_sync(resources.read, principal, uri)
        except ResourceError as exc:  # a request the model can correct, not a crash
            raise MCPError(code=INVALID_PARAMS, message=str(exc), data={"uri": uri}) from None
        mime = item.mime_type or "application/octet-stream"
        if isinstance(item.content, bytes):
            blob = base64.b64encode(item.content).decode()
            return ReadResourceResult(
                contents=[BlobResourceContents(uri=uri, blob=blob, mime_type=mime)]
            )
        return ReadResourceResult(
            contents=[TextResourceContents(uri=uri, text=item.content, mime_type=mime)]
        )


def build_server() -> MCPServer:
    """A new server with every tool registered."""
    server = CoditectServer(
        NAME,
        title="Coditect workspace",
        instructions=INSTRUCTIONS,
        version="5.0.0",
        subscriptions=False,  # stateless: no server-held listen streams
    )
    for module in (sessions, files, file_read, files_search, tasks):
        module.register(server)
    return server
