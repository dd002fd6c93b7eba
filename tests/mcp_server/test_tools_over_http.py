"""The official SDK client over streamable HTTP against the server: both protocol
revisions, every session tool with good and bad arguments, and MCP and REST
seeing each other's changes."""

from __future__ import annotations

import asyncio

import pytest

from tests.mcp_server.support import mcp_client
from tests.support.http import call, token_for

TOOLS = {"whoami", "sessions_list", "session_create", "session_get", "session_delete"}
MODES = ["2026-07-28", "legacy"]  # legacy: the 2025-11-25 initialize handshake


def run(coro):
    return asyncio.run(coro)


@pytest.fixture(scope="module")
def token(mcp_server) -> str:
    return token_for(mcp_server.base_url, "mcp-tools@example.com")


@pytest.mark.parametrize("mode", MODES)
def test_it_negotiates_each_protocol_revision_and_lists_the_tools(mcp_server, token, mode):
    async def scenario():
        async with mcp_client(mcp_server.base_url, token, mode=mode) as client:
            tools = (await client.list_tools()).tools
            return client.protocol_version, {tool.name: tool for tool in tools}

    version, tools = run(scenario())
    assert version == ("2026-07-28" if mode != "legacy" else "2025-11-25")
    assert set(tools) >= TOOLS
    for tool in tools.values():
        assert tool.description and tool.input_schema["type"] == "object"
        assert tool.output_schema is not None
    assert "sessionId" in tools["session_get"].input_schema["properties"]
    assert "workspacePath" in tools["session_create"].input_schema["properties"]


def test_the_auto_client_settles_on_the_newest_revision(mcp_server, token):
    async def scenario():
        async with mcp_client(mcp_server.base_url, token) as client:
            return client.protocol_version

    assert run(scenario()) == "2026-07-28"


@pytest.mark.parametrize("mode", MODES)
def test_every_session_tool_round_trips_through_rest(mcp_server, token, mode):
    base = mcp_server.base_url

    async def scenario():
        async with mcp_client(base, token, mode=mode) as client:
            me = (await client.call_tool("whoami", {})).structured_content
            created = await client.call_tool(
                "session_create", {"name": "From MCP", "workspacePath": "/w/mcp"}
            )
            assert not created.is_error, created.content
            session = created.structured_content
            rest = call(base, "GET", f"/api/v5/sessions/{session['id']}", token=token)
            assert rest.status == 200 and rest.data == session

            made_by_rest = call(
                base, "POST", "/api/v5/sessions", {"name": "From REST"}, token=token
            )
            got = await client.call_tool("session_get", {"sessionId": made_by_rest.data["id"]})
            assert got.structured_content == made_by_rest.data

            listed = (await client.call_tool("sessions_list", {"limit": 1})).structured_content
            assert listed["limit"] == 1 and listed["nextCursor"]
            assert listed["sessions"] == [made_by_rest.data]  # newest first, as REST
            rest_page = call(base, "GET", "/api/v5/sessions?limit=1", token=token)
            assert rest_page.body["meta"]["nextCursor"] == listed["nextCursor"]
            second = await client.call_tool(
                "sessions_list", {"limit": 1, "cursor": listed["nextCursor"]}
            )
            assert second.structured_content["sessions"] == [session]

            deleted = await client.call_tool("session_delete", {"sessionId": session["id"]})
            assert deleted.structured_content == {"deleted": True, "id": session["id"]}
            gone = call(base, "GET", f"/api/v5/sessions/{session['id']}", token=token)
            assert gone.status == 404
            call(base, "DELETE", f"/api/v5/sessions/{made_by_rest.data['id']}", token=token)
            return me

    me = run(scenario())
    rest_me = call(base, "GET", "/api/v5/auth/me", token=token).data
    assert {k: v for k, v in me.items() if k != "tenantId"} == rest_me
    assert me["tenantId"]


BAD_CALLS = [
    ("session_get", {"sessionId": "not-a-uuid"}, "no such session: not-a-uuid"),
    ("session_get", {"sessionId": "01a25092-87e5-74ee-9e34-1c583b46e63c"}, "no such session"),
    ("session_get", {}, "sessionId"),
    ("session_delete", {"sessionId": "01a25092-87e5-74ee-9e34-1c583b46e63c"}, "no such session"),
    ("session_create", {"name": ""}, "name: This field may not be blank"),
    ("session_create", {"name": "x" * 201}, "name: Ensure this field has no more than 200"),
    ("session_create", {"name": 5}, "name"),
    ("sessions_list", {"limit": 0}, "limit"),
    ("sessions_list", {"limit": 101}, "limit"),
    ("sessions_list", {"cursor": "not a cursor"}, "cursor: This cursor is not valid"),
]


@pytest.mark.parametrize(("tool", "arguments", "message"), BAD_CALLS)
def test_bad_arguments_are_tool_errors_a_model_can_read(
    mcp_server, token, tool, arguments, message
):
    async def scenario():
        async with mcp_client(mcp_server.base_url, token, mode="2026-07-28") as client:
            return await client.call_tool(tool, arguments)

    result = run(scenario())
    assert result.is_error
    text = result.content[0].text
    assert message in text
    assert "Traceback" not in text


def test_an_unknown_tool_is_refused(mcp_server, token):
    async def scenario():
        async with mcp_client(mcp_server.base_url, token, mode="2026-07-28") as client:
            return await client.call_tool("rm_rf", {})

    try:
        result = run(scenario())
    except Exception as exc:  # a JSON-RPC error, raised by the client
        assert "rm_rf" in str(exc)
    else:
        assert result.is_error and "rm_rf" in result.content[0].text
