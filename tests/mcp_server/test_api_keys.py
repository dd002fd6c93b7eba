"""Tenant API keys (``cdt_...``) work for MCP as for REST: over HTTP as a Bearer
credential, over stdio in ``CODITECT_API_KEY``; a revoked key is refused."""

from __future__ import annotations

import asyncio

import pytest
from mcp import Client

from tests.mcp_server.support import mcp_client
from tests.mcp_server.test_refusals import INITIALIZE, post
from tests.mcp_server.test_stdio import stdio_params
from tests.support.http import call, token_for


@pytest.fixture(scope="module")
def owner(mcp_server):
    token = token_for(mcp_server.base_url, "mcp-keys@example.com")
    me = call(mcp_server.base_url, "GET", "/api/v5/auth/me", token=token).data
    tenants = call(mcp_server.base_url, "GET", "/api/v5/tenants", token=token).data
    return token, me, tenants[0]["id"]


def new_key(mcp_server, owner, role: str = "member") -> dict:
    token, _me, tenant_id = owner
    reply = call(
        mcp_server.base_url,
        "POST",
        f"/api/v5/tenants/{tenant_id}/api-keys",
        {"name": f"mcp {role}", "role": role},
        token=token,
    )
    assert reply.status == 201, reply
    return reply.data


def test_an_api_key_is_a_bearer_credential_for_mcp(mcp_server, owner):
    key = new_key(mcp_server, owner)

    async def scenario():
        async with mcp_client(mcp_server.base_url, key["key"], mode="2026-07-28") as client:
            me = (await client.call_tool("whoami", {})).structured_content
            made = await client.call_tool("session_create", {"name": "by key"})
            return me, made.structured_content

    me, made = asyncio.run(scenario())
    assert me["tenantId"] == owner[2] and me["role"] == "member"
    rest = call(mcp_server.base_url, "GET", f"/api/v5/sessions/{made['id']}", token=owner[0])
    assert rest.status == 200


def test_a_revoked_api_key_is_401(mcp_server, owner):
    key = new_key(mcp_server, owner)
    assert post(mcp_server, INITIALIZE, token=key["key"]).status == 200
    token, _me, tenant_id = owner
    path = f"/api/v5/tenants/{tenant_id}/api-keys/{key['id']}"
    assert call(mcp_server.base_url, "DELETE", path, token=token).status == 204
    reply = post(mcp_server, INITIALIZE, token=key["key"])
    assert reply.status == 401 and reply.error_code == "api_key_invalid"


def test_coditect_api_key_runs_the_stdio_server_as_the_key(mcp_server, owner):
    key = new_key(mcp_server, owner)

    async def scenario():
        params = stdio_params(mcp_server, CODITECT_API_KEY=key["key"])
        async with Client(params, mode="legacy") as client:
            return (await client.call_tool("whoami", {})).structured_content

    me = asyncio.run(scenario())
    assert me["tenantId"] == owner[2] and me["role"] == "member"
