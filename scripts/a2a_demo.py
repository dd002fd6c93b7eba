"""A task through the hub, against a running server: the official A2A SDK as the
client, a plain-HTTP worker agent (httpx) doing the work.

    python scripts/a2a_demo.py http://localhost:8080 you@example.com 'your password'

Registers the user if needed, registers a worker with the skill ``echo``, sends a
message naming that skill over a stream, and prints every event the client sees
and the final task from GetTask.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import uuid

import httpx
from a2a.client import ClientConfig, ClientFactory
from a2a.types import a2a_pb2
from google.protobuf import json_format


def token_for(base: str, email: str, password: str) -> str:
    body = {"email": email, "password": password, "firstName": "Demo", "lastName": "User"}
    httpx.post(f"{base}/api/v5/auth/register", json=body, timeout=30)
    login = httpx.post(f"{base}/api/v5/auth/login", json={"email": email, "password": password})
    login.raise_for_status()
    return login.json()["data"]["token"]


def worker(base: str, token: str) -> threading.Thread:
    http = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60)
    skill = {"id": "echo", "name": "Echo", "description": "Shouts the text back."}
    agent = http.post("/api/v5/agents", json={"name": "demo-worker", "skills": [skill]})
    agent_id = agent.json()["data"]["id"]
    print(f"worker: registered agent {agent_id}")

    def work() -> None:
        claimed = http.post(f"/api/v5/agents/{agent_id}/claim", json={"timeout": 30}).json()["data"]
        task, lease = claimed["task"], claimed["leaseId"]
        text = task["history"][0]["parts"][0]["text"]
        print(f"worker: claimed task {task['id']} ({text!r}), lease {lease}")
        url = f"/api/v5/a2a/tasks/{task['id']}/updates"
        for step in ("reading", "shouting"):
            http.post(
                url,
                json={"leaseId": lease, "state": "working", "message": {"parts": [{"text": step}]}},
            )
            print(f"worker: working -- {step}")
        http.post(
            url,
            json={
                "leaseId": lease,
                "artifact": {"name": "echo", "parts": [{"text": text.upper()}]},
            },
        )
        print("worker: artifact sent")
        http.post(url, json={"leaseId": lease, "state": "completed"})
        print("worker: completed")

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


async def client(base: str, token: str) -> None:
    http = httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=60)
    sdk = await ClientFactory(ClientConfig(httpx_client=http, streaming=True)).create_from_url(base)
    message = json_format.ParseDict(
        {
            "messageId": uuid.uuid4().hex,
            "role": "ROLE_USER",
            "parts": [{"text": "hello hub"}],
            "metadata": {"skillId": "echo"},
        },
        a2a_pb2.Message(),
    )
    task_id = ""
    async for event in sdk.send_message(a2a_pb2.SendMessageRequest(message=message)):
        kind = event.WhichOneof("payload")
        body = json_format.MessageToDict(getattr(event, kind))
        task_id = task_id or body.get("id", body.get("taskId", ""))
        print(f"client: {kind} {body.get('status', body.get('artifact', {}))}")
    final = await sdk.get_task(a2a_pb2.GetTaskRequest(id=task_id))
    print(f"client: GetTask -> {json_format.MessageToJson(final, indent=None)}")
    await sdk.close()
    await http.aclose()


def main() -> None:
    base, email, password = sys.argv[1:4]
    token = token_for(base, email, password)
    thread = worker(base, token)
    asyncio.run(client(base, token))
    thread.join(30)


if __name__ == "__main__":
    main()
