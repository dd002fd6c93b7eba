"""The MCP server: the official SDK's ``MCPServer`` with this API's tools.

One server definition for both transports (streamable HTTP in
``mcp_server.http``, stdio in ``manage.py mcp``); only how the principal is
found differs (``mcp_server.principal``)."""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer

from mcp_server.tools import sessions

NAME = "coditect"
INSTRUCTIONS = (
    "Work in one Coditect tenant: its workspace sessions (and their files, where offered). "
    "Every tool acts in the tenant of the credentials; whoami says which. Lists are paged: "
    "pass nextCursor back as cursor for the next page."
)


def build_server() -> MCPServer:
    """A new server with every tool registered."""
    server = MCPServer(
        NAME,
        title="Coditect workspace",
        instructions=INSTRUCTIONS,
        version="5.0.0",
        subscriptions=False,  # stateless: no server-held listen streams
    )
    sessions.register(server)
    return server
