"""System-test helpers for the MCP endpoint: a server serving it, and the official
SDK client connected to it with a bearer token."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import httpx2
from django.conf import settings
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from tests.support.server import Server, serve

MCP_PATH = "/api/v5/mcp"


@contextmanager
def serve_mcp(env: dict[str, str], log_path: Path) -> Iterator[Server]:
    """The production server as the README starts it (``python -m config.server``),
    which mounts the MCP endpoint at ``/api/v5/mcp`` (``settings.ASGI_MOUNTS``)."""
    assert settings.ASGI_MOUNTS.get(MCP_PATH) == "mcp_server.asgi.application"
    with serve(env, log_path) as server:
        yield server


@asynccontextmanager
async def mcp_client(base_url: str, token: str | None, *, mode: str = "auto", **headers: str):
    """The official SDK client over streamable HTTP, sending ``Authorization: Bearer``."""
    sent = dict(headers)
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    async with httpx2.AsyncClient(headers=sent, timeout=60) as http:
        transport = streamable_http_client(base_url + MCP_PATH, http_client=http)
        async with Client(transport, mode=mode, cache=None) as client:
            yield client
