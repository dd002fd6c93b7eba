"""End to end on the production server: the official SDK client hands a task to the hub,
a plain-HTTP worker claims it, reports progress and an artifact, completes it; the
client sees every event in order on its stream and the final task through get."""

from __future__ import annotations

import asyncio
import threading
import uuid

import httpx
import pytest
from a2a.client import ClientConfig, ClientFactory
from a2a.types import a2a_pb2
from google.protobuf import json_format

from tests.agents.worker import PlainWorker
from tests.support.http import STRONG_PASSWORD
from tests.support.server import Server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(launch_server) -> Server:
    return launch_server(launch_server.env("a2a", WEB_CONCURRENCY="2"))


def token_for(server: Server, email: str) -> str:
    body = {"email": email, "password": STRONG_PASSWORD, "firstName": "A", "lastName": "B"}
    reply = httpx.post(f"{server.base_url}/api/v5/auth/register", json=body, timeout=30)
    assert reply.status_code == 201, reply.text
    return reply.json()["data"]["token"]


def message(text: str, skill: str | None = "echo", **extra) -> a2a_pb2.Message:
    msg = json_format.ParseDict(
        {
            "messageId": uuid.uuid4().hex,
            "role": "ROLE_USER",
            "parts": [{"text": text}],
            **({"metadata": {"skillId": skill}} if skill else {}),
            **extra,
        },
        a2a_pb2.Message(),
    )
    return msg


async def sdk_client(server: Server, token: str, *, streaming: bool = True):
    http = httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=60)
    factory = ClientFactory(ClientConfig(httpx_client=http, streaming=streaming))
    return await factory.create_from_url(server.base_url), http


def run_worker(worker: PlainWorker, done: list) -> threading.Thread:
    def work() -> None:
        claimed = worker.claim(timeout=20)
        assert claimed is not None
        task_id, lease = claimed["task"]["id"], claimed["leaseId"]
        text = claimed["task"]["history"][0]["parts"][0]["text"]
        for step in ("reading", "writing"):
            reply = worker.update(
                task_id, lease, state="working", message={"parts": [{"text": step}]}
            )
            assert reply.status_code == 200, reply.text
        artifact = {"name": "echo", "parts": [{"text": text.upper()}]}
        assert worker.update(task_id, lease, artifact=artifact).status_code == 200
        assert worker.update(task_id, lease, state="completed").status_code == 200
        done.append(task_id)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def test_sdk_client_and_plain_worker_complete_a_task_streamed_in_order(server):
    token = token_for(server, "e2e@example.com")
    worker = PlainWorker(server.base_url, token, ["echo"])
    done: list = []

    async def main():
        client, http = await sdk_client(server, token)
        try:
            thread = run_worker(worker, done)
            request = a2a_pb2.SendMessageRequest(message=message("hello hub"))
            events = [event async for event in client.send_message(request)]
            thread.join(timeout=30)
            task_id = done[0]
            final = await client.get_task(a2a_pb2.GetTaskRequest(id=task_id))
            return events, final
        finally:
            await client.close()
            await http.aclose()

    events, final = asyncio.run(main())
    kinds = [event.WhichOneof("payload") for event in events]
    assert kinds[0] == "task"
    updates = [(kind, getattr(event, kind)) for kind, event in zip(kinds, events, strict=True)][1:]
    states = [
        a2a_pb2.TaskState.Name(body.status.state)
        for kind, body in updates
        if kind == "status_update"
    ]
    assert states == ["TASK_STATE_WORKING", "TASK_STATE_WORKING", "TASK_STATE_COMPLETED"]
    texts = [
        body.status.message.parts[0].text
        for kind, body in updates
        if kind == "status_update" and body.status.message.parts
    ]
    assert texts == ["reading", "writing"]
    order = [kind for kind, _ in updates]
    assert order == ["status_update", "status_update", "artifact_update", "status_update"]
    assert final.status.state == a2a_pb2.TaskState.TASK_STATE_COMPLETED
    assert final.artifacts[0].parts[0].text == "HELLO HUB"
    assert final.history[0].role == a2a_pb2.Role.ROLE_USER
