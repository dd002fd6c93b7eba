"""A stand-in for the production ASGI entry until the server serves ASGI mounts:
Django for every path, the MCP endpoint for ``/api/v5/mcp``. Run by uvicorn."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.asgi import get_asgi_application

django_app = get_asgi_application()

from mcp_server.asgi import application as mcp_app  # noqa: E402

PREFIX = "/api/v5/mcp"


async def application(scope, receive, send):
    path = scope.get("path", "")
    if scope["type"] == "lifespan" or path == PREFIX or path.startswith(PREFIX + "/"):
        await mcp_app(scope, receive, send)
    else:
        await django_app(scope, receive, send)
