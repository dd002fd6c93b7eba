"""The agent task board over MCP: the official SDK client (streamable HTTP) against the
production server submits, lists, reads and cancels hub tasks, a plain-HTTP worker
(the agents tests' own) claims and completes them, and the A2A face answers the same
tasks with the same JSON and the same cursors. Another tenant sees none of it."""

from __future__ import annotations

import asyncio
import threading
import uuid

import httpx
import pytest

from tests.agents.worker import PlainWorker
from tests.mcp_server.support import mcp_client
from tests.support.http import token_for

TASK_TOOLS = {"tasks_submit", "tasks_list", "task_get", "task_cancel"}


def run(coro):
    return asyncio.run(coro)


@pytest.fixture(scope="module")
def alice(mcp_server) -> str:
    return token_for(mcp_server.base_url, "mcp-tasks-alice@example.com")


@pytest.fixture(scope="module")
def bob(mcp_server) -> str:
    return token_for(mcp_server.base_url, "mcp-tasks-bob@example.com")


def a2a(server, token: str, method: str, params: dict) -> dict:
    """One A2A JSON-RPC call on the same server: the face the MCP tools must agree with."""
    reply = httpx.post(
        f"{server.base_url}/api/v5/a2a",
        json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params},
        headers={"Authorization": f"Bearer {token}", "A2A-Version": "1.0"},
        timeout=60,
    )
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert "result" in body, body
    return body["result"]


async def call(client, name: str, arguments: dict):
    return await client.call_tool(name, arguments)


def text_of(result) -> str:
    return " ".join(getattr(block, "text", "") for block in result.content)


def test_the_task_tools_are_listed_with_schemas(mcp_server, alice):
    async def scenario():
        async with mcp_client(mcp_server.base_url, alice) as client:
            return {tool.name: tool for tool in (await client.list_tools()).tools}

    tools = run(scenario())
    assert set(tools) >= TASK_TOOLS
    submit = tools["tasks_submit"].input_schema["properties"]
    assert {"skillId", "text", "data", "contextId", "returnImmediately"} <= set(submit)
    listing = tools["tasks_list"].input_schema["properties"]
    assert {"contextId", "state", "cursor", "limit"} <= set(listing)
    assert "TASK_STATE_COMPLETED" in str(listing["state"])
    for name in TASK_TOOLS:
        assert tools[name].output_schema is not None and tools[name].description


def test_an_unknown_skill_is_a_tool_error_listing_the_known_ones(mcp_server, alice):
    fresh = token_for(mcp_server.base_url, "mcp-tasks-fresh@example.com")

    async def submit(token, skill):
        async with mcp_client(mcp_server.base_url, token) as client:
            return await call(
                client,
                "tasks_submit",
                {"skillId": skill, "text": "hi", "returnImmediately": True},
            )

    none_yet = run(submit(fresh, "echo"))
    assert none_yet.is_error and "no worker agent" in text_of(none_yet)
    worker = PlainWorker(mcp_server.base_url, alice, ["echo", "review"])
    try:
        unknown = run(submit(alice, "translate"))
        assert unknown.is_error
        assert "unknown skill: translate" in text_of(unknown)
        assert "echo" in text_of(unknown) and "review" in text_of(unknown)
    finally:
        worker.close()


def test_a_worker_completes_a_task_submitted_through_mcp(mcp_server, alice):
    worker = PlainWorker(mcp_server.base_url, alice, ["shout"])
    context = str(uuid.uuid4())

    async def submit():
        async with mcp_client(mcp_server.base_url, alice) as client:
            return await call(
                client,
                "tasks_submit",
                {
                    "skillId": "shout",
                    "text": "hello board",
                    "data": {"lines": 2},
                    "contextId": context,
                    "returnImmediately": True,
                },
            )

    try:
        submitted = run(submit())
        assert not submitted.is_error, text_of(submitted)
        task = submitted.structured_content
        assert task["status"]["state"] == "TASK_STATE_SUBMITTED"
        assert task["contextId"] == context and task["metadata"] == {"skillId": "shout"}
        sent = task["history"][0]
        assert sent["role"] == "ROLE_USER"
        assert sent["parts"] == [{"text": "hello board"}, {"data": {"lines": 2.0}}]

        claimed = worker.claim(timeout=10)
        assert claimed is not None and claimed["task"]["id"] == task["id"]
        assert claimed["task"]["history"][0]["parts"][0] == {"text": "hello board"}
        lease = claimed["leaseId"]
        reply = worker.update(
            task["id"], lease, state="working", message={"parts": [{"text": "on it"}]}
        )
        assert reply.status_code == 200, reply.text
        reply = worker.update(
            task["id"], lease, artifact={"name": "out", "parts": [{"text": "HELLO BOARD"}]}
        )
        assert reply.status_code == 200, reply.text
        assert worker.update(task["id"], lease, state="completed").status_code == 200
    finally:
        worker.close()

    async def read():
        async with mcp_client(mcp_server.base_url, alice) as client:
            whole = await call(client, "task_get", {"taskId": task["id"]})
            short = await call(client, "task_get", {"taskId": task["id"], "historyLength": 1})
            return whole, short

    whole, short = run(read())
    assert not whole.is_error, text_of(whole)
    done = whole.structured_content
    assert done["status"]["state"] == "TASK_STATE_COMPLETED"
    assert done["artifacts"][0]["name"] == "out"
    assert done["artifacts"][0]["parts"] == [{"text": "HELLO BOARD"}]
    assert [m["parts"][0] for m in done["history"]] == [
        {"text": "hello board"},
        {"text": "on it"},
    ]
    assert short.structured_content["history"] == done["history"][-1:]
    # the A2A face answers GetTask with exactly the same task JSON
    assert a2a(mcp_server, alice, "GetTask", {"id": task["id"]}) == done


def test_a_blocking_submit_answers_with_the_finished_task(mcp_server, alice):
    worker = PlainWorker(mcp_server.base_url, alice, ["sum"])

    def work():
        claimed = worker.claim(timeout=20)
        assert claimed is not None
        worker.update(
            claimed["task"]["id"],
            claimed["leaseId"],
            state="completed",
            artifact={"parts": [{"data": {"total": 3}}]},
        )

    thread = threading.Thread(target=work)
    thread.start()

    async def submit():
        async with mcp_client(mcp_server.base_url, alice) as client:
            return await call(client, "tasks_submit", {"skillId": "sum", "data": {"xs": [1, 2]}})

    try:
        result = run(submit())
    finally:
        thread.join(30)
        worker.close()
    assert not result.is_error, text_of(result)
    assert result.structured_content["status"]["state"] == "TASK_STATE_COMPLETED"
    assert result.structured_content["artifacts"][0]["parts"] == [{"data": {"total": 3.0}}]


def test_list_filters_and_pages_with_the_a2a_cursors(mcp_server, alice):
    worker = PlainWorker(mcp_server.base_url, alice, ["page"])
    context = str(uuid.uuid4())

    async def scenario():
        async with mcp_client(mcp_server.base_url, alice) as client:
            ids = []
            for n in range(3):
                made = await call(
                    client,
                    "tasks_submit",
                    {
                        "skillId": "page",
                        "text": f"t{n}",
                        "contextId": context,
                        "returnImmediately": True,
                    },
                )
                assert not made.is_error, text_of(made)
                ids.append(made.structured_content["id"])
            canceled = await call(client, "task_cancel", {"taskId": ids[0]})
            first = await call(client, "tasks_list", {"contextId": context, "limit": 2})
            second = await call(
                client,
                "tasks_list",
                {
                    "contextId": context,
                    "limit": 2,
                    "cursor": first.structured_content["nextCursor"],
                },
            )
            only_canceled = await call(
                client, "tasks_list", {"contextId": context, "state": "TASK_STATE_CANCELED"}
            )
            bad_cursor = await call(client, "tasks_list", {"cursor": "not-a-cursor"})
            bad_state = await call(client, "tasks_list", {"state": "done"})
            return ids, canceled, first, second, only_canceled, bad_cursor, bad_state

    try:
        ids, canceled, first, second, only_canceled, bad_cursor, bad_state = run(scenario())
    finally:
        worker.close()
    assert canceled.structured_content["status"]["state"] == "TASK_STATE_CANCELED"
    page1 = first.structured_content
    assert [t["id"] for t in page1["tasks"]] == [ids[2], ids[1]]  # newest first
    assert page1["limit"] == 2 and page1["nextCursor"]
    assert page1["tasks"][0]["history"][-1]["parts"] == [{"text": "t2"}]  # last message only
    a2a_page = a2a(mcp_server, alice, "ListTasks", {"contextId": context, "pageSize": 2})
    assert a2a_page["nextPageToken"] == page1["nextCursor"]  # the same cursors
    assert [t["id"] for t in second.structured_content["tasks"]] == [ids[0]]
    assert [t["id"] for t in only_canceled.structured_content["tasks"]] == [ids[0]]
    assert bad_cursor.is_error and "cursor is not valid" in text_of(bad_cursor)
    assert bad_state.is_error


def test_cancel_and_bad_arguments_are_tool_errors(mcp_server, alice):
    worker = PlainWorker(mcp_server.base_url, alice, ["slow"])

    async def scenario():
        async with mcp_client(mcp_server.base_url, alice) as client:
            made = await call(
                client, "tasks_submit", {"skillId": "slow", "text": "x", "returnImmediately": True}
            )
            task_id = made.structured_content["id"]
            return (
                await call(client, "task_cancel", {"taskId": task_id}),
                await call(client, "task_cancel", {"taskId": task_id}),
                await call(client, "tasks_submit", {"skillId": "slow", "returnImmediately": True}),
                await call(
                    client,
                    "tasks_submit",
                    {"skillId": "slow", "text": "x" * 40_000, "returnImmediately": True},
                ),
                await call(client, "task_get", {"taskId": "not-a-task"}),
                await call(
                    client, "tasks_submit", {"taskId": task_id, "text": "answer"}
                ),  # not waiting for input
            )

    try:
        first, again, empty, huge, malformed, answer = run(scenario())
    finally:
        worker.close()
    assert first.structured_content["status"]["state"] == "TASK_STATE_CANCELED"
    assert again.is_error and "cannot be canceled" in text_of(again)
    assert empty.is_error and "give text, data, or both" in text_of(empty)
    assert huge.is_error and "larger than" in text_of(huge)
    assert malformed.is_error and "no such task: not-a-task" in text_of(malformed)
    assert answer.is_error and "Traceback" not in text_of(answer)


def test_another_tenant_sees_no_task(mcp_server, alice, bob):
    worker = PlainWorker(mcp_server.base_url, alice, ["private"])

    async def scenario():
        async with mcp_client(mcp_server.base_url, alice) as client:
            made = await call(
                client,
                "tasks_submit",
                {"skillId": "private", "text": "secret", "returnImmediately": True},
            )
            task_id = made.structured_content["id"]
        async with mcp_client(mcp_server.base_url, bob) as client:
            return task_id, (
                await call(client, "task_get", {"taskId": task_id}),
                await call(client, "task_cancel", {"taskId": task_id}),
                await call(client, "tasks_list", {}),
                await call(
                    client,
                    "tasks_submit",
                    {"skillId": "private", "text": "x", "returnImmediately": True},
                ),
                await call(
                    client,
                    "tasks_submit",
                    {"taskId": task_id, "text": "answer", "returnImmediately": True},
                ),
            )

    try:
        task_id, (got, cancel, listed, submit, answer) = run(scenario())
    finally:
        worker.close()
    assert got.is_error and text_of(got).endswith(
        f"no such task: {task_id} (tasks_list shows this tenant's tasks)"
    )
    assert cancel.is_error and f"no such task: {task_id}" in text_of(cancel)
    assert listed.structured_content["tasks"] == []
    assert submit.is_error and "no worker agent" in text_of(submit)
    assert answer.is_error and "no such task" in text_of(answer)

    async def still_there():
        async with mcp_client(mcp_server.base_url, alice) as client:
            return await call(client, "task_get", {"taskId": task_id})

    assert run(still_there()).structured_content["status"]["state"] == "TASK_STATE_SUBMITTED"


def test_the_task_tools_work_over_stdio_on_the_same_hub(mcp_server):
    """``manage.py mcp`` submits into the store the server's workers claim from."""
    from mcp import Client

    from tests.mcp_server.test_stdio import stdio_params

    email = "mcp-tasks-stdio@example.com"
    token = token_for(mcp_server.base_url, email)
    worker = PlainWorker(mcp_server.base_url, token, ["stdio"])

    async def submit():
        async with Client(stdio_params(mcp_server, "--email", email)) as client:
            made = await client.call_tool(
                "tasks_submit", {"skillId": "stdio", "text": "via stdio", "returnImmediately": True}
            )
            listed = await client.call_tool("tasks_list", {})
            return made, listed

    try:
        made, listed = run(submit())
        assert not made.is_error, text_of(made)
        task_id = made.structured_content["id"]
        assert [t["id"] for t in listed.structured_content["tasks"]] == [task_id]
        claimed = worker.claim(timeout=10)
        assert claimed is not None and claimed["task"]["id"] == task_id
    finally:
        worker.close()
    assert a2a(mcp_server, token, "GetTask", {"id": task_id})["status"]["state"] == (
        "TASK_STATE_SUBMITTED"
    )
