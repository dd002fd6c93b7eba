"""SIGKILL the whole multi-worker server while clients submit and workers claim.

Each round: two clients send tasks (JSON-RPC ``SendMessage``, return at once)
and two workers claim them (REST long-polls), until a few submits have been
answered; then, at a random moment, the master and every worker get SIGKILL
together. ``fdbstore_check`` reads the store as the crash left it and must be
clean; the server restarts on the same store. Leases are long (10 minutes), so
no lease runs out during the test and a claim answered twice for one task
would be a duplicate, not a re-delivery. After the last round every answered
submit must still be there (GetTask), and claiming what is left never hands
out a task whose claim was already answered.
"""

from __future__ import annotations

import os
import random
import threading
import time
import uuid
from dataclasses import dataclass, field

import httpx
import pytest

from tests.agents.helpers import AGENTS, skill
from tests.support.http import token_for
from tests.support.server import Server

pytestmark = pytest.mark.slow

ROUNDS = 3
MIN_ACKED = 6  # submits answered before the kill may come
KILL_WINDOW_S = (0.0, 0.6)
STORM_DEADLINE_S = 20


@dataclass
class Storm:
    submitted: set[str] = field(default_factory=set)  # task ids answered by SendMessage
    claimed: list[str] = field(default_factory=list)  # task ids answered by a claim (200)
    unexpected: list[object] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _send(base_url: str, token: str) -> httpx.Response:
    message = {
        "messageId": uuid.uuid4().hex,
        "role": "ROLE_USER",
        "parts": [{"text": "storm"}],
        "metadata": {"skillId": "echo"},
    }
    body = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "SendMessage",
        "params": {"message": message, "configuration": {"returnImmediately": True}},
    }
    headers = {"Authorization": f"Bearer {token}", "A2A-Version": "1.0"}
    return httpx.post(f"{base_url}/api/v5/a2a", json=body, headers=headers, timeout=30)


def _claim(base_url: str, token: str, agent_id: str, timeout: float) -> httpx.Response:
    return httpx.post(
        f"{base_url}{AGENTS}/{agent_id}/claim",
        json={"timeout": timeout},
        headers={"Authorization": f"Bearer {token}"},
        timeout=timeout + 30,
    )


def storm_then_kill(server: Server, token: str, agent_id: str, rng: random.Random) -> Storm:
    storm, stop = Storm(), threading.Event()

    def client() -> None:
        while not stop.is_set():
            try:
                reply = _send(server.base_url, token)
            except httpx.HTTPError:
                return  # cut off by the kill: may or may not have landed
            body = reply.json() if reply.status_code == 200 else None
            with storm.lock:
                if body and "result" in body:
                    storm.submitted.add(body["result"]["task"]["id"])
                else:
                    storm.unexpected.append((reply.status_code, reply.text[:200]))

    def worker() -> None:
        while not stop.is_set():
            try:
                reply = _claim(server.base_url, token, agent_id, 1)
            except httpx.HTTPError:
                return
            with storm.lock:
                if reply.status_code == 200:
                    storm.claimed.append(reply.json()["data"]["task"]["id"])
                elif reply.status_code != 204:
                    storm.unexpected.append((reply.status_code, reply.text[:200]))

    threads = [threading.Thread(target=f) for f in (client, client, worker, worker)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + STORM_DEADLINE_S
    while len(storm.submitted) < MIN_ACKED and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(rng.uniform(*KILL_WINDOW_S))
    server.kill()
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    return storm


def test_no_answered_task_is_lost_and_no_claim_is_duplicated_across_sigkills(launch_server):
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    env = launch_server.env("hub-crash", A2A_LEASE_SECONDS="600")
    server = launch_server(env)
    token = token_for(server.base_url, "crash-hub@example.com")
    agent = httpx.post(
        f"{server.base_url}{AGENTS}",
        json={"name": "storm", "skills": [skill()]},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert agent.status_code == 201, agent.text
    agent_id = agent.json()["data"]["id"]
    submitted: set[str] = set()
    claimed: list[str] = []
    figures = []
    for round_no in range(1, ROUNDS + 1):
        storm = storm_then_kill(server, token, agent_id, rng)
        assert not storm.unexpected, (seed, storm.unexpected[:3], server.log_tail())
        assert len(storm.submitted) >= MIN_ACKED, (seed, server.log_tail())
        submitted |= storm.submitted
        claimed += storm.claimed
        server.check_store()  # the store exactly as the crash left it
        server = launch_server(env)
        figures.append((round_no, len(storm.submitted), len(storm.claimed)))

    assert len(claimed) == len(set(claimed)), (seed, "a claim was answered twice")
    while True:  # what is left: never a task whose claim was already answered
        reply = _claim(server.base_url, token, agent_id, 0)
        if reply.status_code == 204:
            break
        assert reply.status_code == 200, reply.text
        task_id = reply.json()["data"]["task"]["id"]
        assert task_id not in claimed, (seed, task_id)
        claimed.append(task_id)
    for task_id in submitted | set(claimed):  # answered, so committed: still there
        body = {"jsonrpc": "2.0", "id": 1, "method": "GetTask", "params": {"id": task_id}}
        headers = {"Authorization": f"Bearer {token}", "A2A-Version": "1.0"}
        reply = httpx.post(f"{server.base_url}/api/v5/a2a", json=body, headers=headers)
        assert "result" in reply.json(), (seed, task_id, reply.text)
    server.check_store()
    print(f"\nhub crash rounds (seed {seed}): round, submits answered, claims answered")
    for row in figures:
        print("  " + ", ".join(map(str, row)))
