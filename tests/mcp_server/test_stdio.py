"""``manage.py mcp`` over stdio, driven by the official SDK's stdio client, on the
same store as a running server: changes show in REST, and the reverse."""

from __future__ import annotations

import asyncio
import subprocess

import pytest
from mcp import Client, StdioServerParameters

from tests.support.http import call, token_for
from tests.support.server import MANAGE, ROOT


def stdio_params(server, *args: str, **env: str) -> StdioServerParameters:
    return StdioServerParameters(
        command=MANAGE[0],
        args=[*MANAGE[1:], "mcp", *args],
        env={**server.env, **env},
        cwd=str(ROOT),
    )


def manage_mcp(server, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*MANAGE, "mcp", *args],
        cwd=ROOT,
        env={**server.env, **env},
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        check=False,
    )


@pytest.fixture(scope="module")
def owner(mcp_server) -> tuple[str, str]:
    email = "mcp-stdio@example.com"
    return email, token_for(mcp_server.base_url, email)


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
def test_the_stdio_server_lists_and_calls_the_tools_as_the_user(mcp_server, owner, mode):
    email, token = owner
    made_by_rest = call(
        mcp_server.base_url, "POST", "/api/v5/sessions", {"name": "REST"}, token=token
    ).data

    async def scenario():
        async with Client(stdio_params(mcp_server, "--email", email), mode=mode) as client:
            tools = {tool.name for tool in (await client.list_tools()).tools}
            me = (await client.call_tool("whoami", {})).structured_content
            got = (
                await client.call_tool("session_get", {"sessionId": made_by_rest["id"]})
            ).structured_content
            created = (
                await client.call_tool("session_create", {"name": "stdio", "workspacePath": "/s"})
            ).structured_content
            bad = await client.call_tool("session_get", {"sessionId": "nope"})
            return tools, me, got, created, bad

    tools, me, got, created, bad = asyncio.run(scenario())
    assert {"whoami", "sessions_list", "session_create", "session_get", "session_delete"} <= tools
    assert me["email"] == email and me["role"] == "owner"
    assert got == made_by_rest
    rest = call(mcp_server.base_url, "GET", f"/api/v5/sessions/{created['id']}", token=token)
    assert rest.status == 200 and rest.data == created
    assert bad.is_error and "no such session: nope" in bad.content[0].text


def test_a_token_in_coditect_api_key_is_checked_as_rest_checks_it(mcp_server, owner):
    email, token = owner

    async def scenario():
        params = stdio_params(mcp_server, CODITECT_API_KEY=token)
        async with Client(params, mode="legacy") as client:
            return (await client.call_tool("whoami", {})).structured_content

    assert asyncio.run(scenario())["email"] == email
    refused = manage_mcp(mcp_server, CODITECT_API_KEY="not-a-key")
    assert refused.returncode == 1
    assert "CODITECT_API_KEY was refused" in refused.stderr and refused.stdout == ""


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        ([], {}, "give --email EMAIL or set CODITECT_API_KEY"),
        (["--email", "nobody@example.com"], {}, "No user with email nobody@example.com"),
        (
            [
                "--email",
                "mcp-stdio@example.com",
                "--tenant",
                "5b61b272-c1f3-5b78-bf59-1dacfed72d92",
            ],
            {},
            "is not a member of tenant",
        ),
        (["--tenant", "5b61b272-c1f3-5b78-bf59-1dacfed72d92"], {}, "--tenant goes with --email"),
    ],
)
def test_it_refuses_to_start_without_a_usable_identity(mcp_server, owner, args, env, message):
    result = manage_mcp(mcp_server, *args, **env)
    assert result.returncode == 1
    assert message in result.stderr
    assert result.stdout == ""  # stdout is the protocol's alone
    assert "Traceback" not in result.stderr
