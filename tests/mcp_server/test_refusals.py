"""What the MCP endpoint refuses, and how: before the SDK reads a message for
credentials, hosts and origins; as clean JSON-RPC errors for bad bodies."""

from __future__ import annotations

import asyncio
import json
import socket
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from accounts.tokens import ApiAccessToken
from config.api import clock
from tests.mcp_server.support import MCP_PATH, mcp_client
from tests.support.http import Reply, call, token_for

ACCEPT = "application/json, text/event-stream"
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-11-25",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"},
    },
}


@pytest.fixture(scope="module")
def token(mcp_server) -> str:
    return token_for(mcp_server.base_url, "mcp-refusals@example.com")


def header(reply: Reply, name: str) -> str:
    """A response header whatever the server's spelling of its name."""
    return {key.lower(): value for key, value in reply.headers.items()}[name.lower()]


def post(server, body, *, token=None, raw: bytes | None = None, **headers: str):
    sent = {"Accept": ACCEPT, "Content-Type": "application/json", **headers}
    return call(server.base_url, "POST", MCP_PATH, body, token=token, headers=sent, raw=raw)


def test_no_credential_is_401_with_a_bearer_challenge(mcp_server):
    reply = post(mcp_server, INITIALIZE)
    assert reply.status == 401
    assert header(reply, "WWW-Authenticate").startswith("Bearer")
    assert reply.error_code == "not_authenticated"


@pytest.mark.parametrize(
    "authorization", ["Bearer nonsense", "Bearer a.b.c", "Basic dXNlcjpwYXNz x"]
)
def test_a_bad_credential_is_401(mcp_server, authorization):
    reply = post(mcp_server, INITIALIZE, Authorization=authorization)
    assert reply.status == 401
    assert header(reply, "WWW-Authenticate").startswith("Bearer")


def test_a_logged_out_token_is_401_as_in_rest(mcp_server):
    token = token_for(mcp_server.base_url, "mcp-logout@example.com")
    assert post(mcp_server, INITIALIZE, token=token).status == 200
    assert call(mcp_server.base_url, "POST", "/api/v5/auth/logout", token=token).status == 200
    reply = post(mcp_server, INITIALIZE, token=token)
    assert reply.status == 401 and reply.error_code == "token_revoked"


def test_an_expired_token_is_401(mcp_server, token):
    me = call(mcp_server.base_url, "GET", "/api/v5/auth/me", token=token).data
    expired = ApiAccessToken.issue(
        user_id=uuid.UUID(me["id"]),
        tenant_id=uuid.uuid4(),
        email=me["email"],
        now=clock.now() - timedelta(days=2),
    )
    reply = post(mcp_server, INITIALIZE, token=str(expired))
    assert reply.status == 401 and reply.error_code == "token_expired"


def test_an_origin_outside_cors_allowed_origins_is_403_even_with_a_token(mcp_server, token):
    reply = post(mcp_server, INITIALIZE, token=token, Origin="https://evil.example.net")
    assert reply.status == 403 and reply.error_code == "origin_not_allowed"


def test_an_allowed_origin_and_no_origin_are_served(mcp_server, token):
    allowed = post(mcp_server, INITIALIZE, token=token, Origin="https://app.example.com")
    assert allowed.status == 200
    assert header(allowed, "access-control-allow-origin") == "https://app.example.com"
    assert post(mcp_server, INITIALIZE, token=token).status == 200


def test_a_preflight_from_an_allowed_origin_names_the_mcp_headers(mcp_server):
    reply = call(
        mcp_server.base_url,
        "OPTIONS",
        MCP_PATH,
        headers={
            "Origin": "https://app.example.com",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type, mcp-protocol-version",
        },
    )
    assert reply.status == 200
    allowed = header(reply, "access-control-allow-headers").lower()
    assert "mcp-protocol-version" in allowed and "authorization" in allowed


def test_a_host_outside_allowed_hosts_is_refused(mcp_server, token):
    reply = post(mcp_server, INITIALIZE, token=token, Host="rebound.evil.example.net")
    assert reply.status == 421 and reply.error_code == "invalid_host"


@pytest.mark.parametrize("method", ["GET", "DELETE", "PUT"])
def test_a_stateless_server_has_no_stream_or_session_to_get_or_delete(mcp_server, token, method):
    reply = call(mcp_server.base_url, method, MCP_PATH, token=token, headers={"Accept": ACCEPT})
    assert reply.status == 405 and header(reply, "Allow") == "POST"


@pytest.mark.parametrize("version", [None, "2026-07-28"])
def test_a_malformed_body_is_a_json_rpc_parse_error(mcp_server, token, version):
    headers = {"MCP-Protocol-Version": version} if version else {}
    reply = post(mcp_server, None, token=token, raw=b'{"jsonrpc": "2.0", "id": 1,', **headers)
    assert reply.status == 400
    assert reply.body["error"]["code"] == -32700


@pytest.mark.parametrize("version", [None, "2026-07-28"])
def test_a_body_that_is_not_json_rpc_is_refused(mcp_server, token, version):
    headers = {"MCP-Protocol-Version": version} if version else {}
    reply = post(mcp_server, {"hello": "world"}, token=token, **headers)
    assert reply.status == 400
    assert reply.body["error"]["code"] in (-32600, -32602)


@pytest.mark.parametrize("version", [None, "2026-07-28"])
def test_a_batch_of_1000_requests_is_refused_whole(mcp_server, token, version):
    batch = [{"jsonrpc": "2.0", "id": i, "method": "tools/list"} for i in range(1000)]
    headers = {"MCP-Protocol-Version": version} if version else {}
    reply = post(mcp_server, batch, token=token, **headers)
    assert reply.status == 400
    assert "error" in reply.body and "result" not in json.dumps(reply.body)


def test_a_body_over_the_limit_is_413_before_it_is_read(mcp_server, token):
    url = urlsplit(mcp_server.base_url)
    head = (
        f"POST {MCP_PATH} HTTP/1.1\r\nHost: {url.hostname}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        f"Accept: {ACCEPT}\r\nContent-Length: {5 * 1024 * 1024}\r\n\r\n["
    )
    with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
        sock.sendall(head.encode())
        status_line = sock.makefile("rb").readline()
    assert status_line.split()[1] == b"413"


def test_another_tenants_session_is_no_such_session(mcp_server, token):
    alice_session = call(
        mcp_server.base_url, "POST", "/api/v5/sessions", {"name": "Alice's"}, token=token
    ).data
    charlie = token_for(mcp_server.base_url, "mcp-charlie@example.com")

    async def scenario():
        async with mcp_client(mcp_server.base_url, charlie, mode="2026-07-28") as client:
            got = await client.call_tool("session_get", {"sessionId": alice_session["id"]})
            deleted = await client.call_tool("session_delete", {"sessionId": alice_session["id"]})
            listed = await client.call_tool("sessions_list", {})
            return got, deleted, listed.structured_content

    got, deleted, listed = asyncio.run(scenario())
    assert got.is_error and "no such session" in got.content[0].text
    assert deleted.is_error and "no such session" in deleted.content[0].text
    assert listed["sessions"] == []
    still = call(mcp_server.base_url, "GET", f"/api/v5/sessions/{alice_session['id']}", token=token)
    assert still.status == 200
