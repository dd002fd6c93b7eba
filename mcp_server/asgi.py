"""ASGI entry of the MCP endpoint, for ``settings.ASGI_MOUNTS["/api/v5/mcp"]``.

Imported lazily in each server worker after the fork (the FoundationDB
client is not fork-safe); Django is set up here if the importer has not."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from mcp_server.http import build_application  # noqa: E402

application = build_application()
