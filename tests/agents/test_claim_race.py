"""Exactly-once claiming, proven by several OS processes racing on one store."""

from __future__ import annotations

import multiprocessing
import queue

import pytest

from agents.services import agent_register, task_submit
from tests.agents import race_worker
from tests.agents.helpers import skill, user_message

PROCESSES = 4
TASKS = 60
TIMEOUT_S = 120


def test_four_processes_claim_every_task_exactly_once(store, settings, tmp_path):
    tenant = __import__("uuid").uuid4()
    agents = [
        agent_register(tenant_id=tenant, name=f"w{i}", skills=[skill("echo")])
        for i in range(PROCESSES)
    ]
    submitted = {
        str(task_submit(tenant_id=tenant, skill_id="echo", message=user_message(f"t{i}")).id)
        for i in range(TASKS)
    }
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(PROCESSES, timeout=TIMEOUT_S), ctx.Queue()
    path = str(tmp_path / "store.sqlite3")
    children = [
        ctx.Process(
            target=race_worker.claim_all,
            args=(path, str(tenant), str(agent.id), barrier, results),
        )
        for agent in agents
    ]
    for child in children:
        child.start()
    try:
        claims = [results.get(timeout=TIMEOUT_S) for _ in children]
    except queue.Empty:
        pytest.fail(f"a claimer did not report; exit codes {[c.exitcode for c in children]}")
    finally:
        for child in children:
            child.join(timeout=TIMEOUT_S)
            if child.is_alive():
                child.kill()
    every = [task for got in claims for task in got]
    assert len(every) == len(set(every)), "a task was claimed twice"
    assert set(every) == submitted
    assert sum(1 for got in claims if got) >= 2, "the race had a single winner; no contention"
