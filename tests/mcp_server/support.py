"""System-test helpers for the MCP endpoint: a server serving it, and the official
SDK client connected to it with a bearer token."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from pathlib import Path

import httpx2
import pytest
from django.conf import settings
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from tests.support.http import call
from tests.support.server import ROOT, Server, free_port, serve

MCP_PATH = "/api/v5/mcp"
READY_TIMEOUT_S = 90


def production_serves_mcp() -> bool:
    """True once the production server mounts ASGI apps (``settings.ASGI_MOUNTS``)."""
    return MCP_PATH in getattr(settings, "ASGI_MOUNTS", {})


@contextmanager
def serve_mcp(env: dict[str, str], log_path: Path) -> Iterator[Server]:
    """The production server as the README starts it when it mounts the MCP app;
    until then uvicorn on ``harness_asgi`` (Django plus the MCP app)."""
    if production_serves_mcp():
        with serve(env, log_path) as server:
            yield server
        return
    port = free_port()
    env = {**env, "PORT": str(port)}
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "tests.mcp_server.harness_asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
    ]
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log_path, env)
    try:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"uvicorn exited:\n{server.log_tail()}")
            with suppress(OSError):
                if call(server.base_url, "GET", "/api/v5/health", timeout=5).status == 200:
                    break
            time.sleep(0.2)
        else:
            pytest.fail(f"uvicorn did not answer:\n{server.log_tail()}")
        yield server
    finally:
        server.stop()


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


def raw_post(base_url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict, object]:
    """POST ``body`` as given (malformed JSON too) to the MCP path: status, headers, JSON."""
    import http.client
    import json
    from urllib.parse import urlsplit

    url = urlsplit(base_url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        conn.request("POST", MCP_PATH, body=body, headers={"Connection": "close", **headers})
        response = conn.getresponse()
        raw = response.read()
    finally:
        conn.close()
    try:
        decoded = json.loads(raw) if raw else None
    except ValueError:
        decoded = None
    return response.status, dict(response.getheaders()), decoded
