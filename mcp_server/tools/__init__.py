"""The MCP tools, one module per area, each registering its tools on a server."""
