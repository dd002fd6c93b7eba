from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings

from tests.mcp_server.support import serve_mcp
from tests.support.server import Server, server_env


@pytest.fixture(scope="module")
def mcp_server(tmp_path_factory) -> Iterator[Server]:
    """One server (REST and MCP on one port) per test module, on a store of its own."""
    directory = tmp_path_factory.mktemp("mcp")
    env = server_env(
        directory / "store.sqlite3",
        CORS_ALLOWED_ORIGINS="https://app.example.com",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        JWT_SECRET=settings.JWT_SECRET,  # so a test can issue (expired) tokens itself
    )
    with serve_mcp(env, directory / "server.log") as server:
        yield server
