"""Hub tasks and agents are part of a tenant's dump, its deletion and ``purge_expired``."""

from __future__ import annotations

import base64
import io
import json

from django.core.management import call_command

from accounts.services import user_delete
from agents.purge import tasks_purge
from agents.services import task_claim, task_submit, task_update
from fdbstore.connection import use_database
from fdbstore.keys import keyspace
from tests.agents.helpers import register_agent, user_message
from tests.support.stores import open_store

HUB_SPACES = {
    "agents",
    "tenant_agents",
    "a2a_tasks",
    "tenant_a2a_tasks",
    "a2a_task_log",
    "a2a_queue",
    "a2a_leases",
    "a2a_signal",
}


def busy_tenant(api, person) -> tuple[str, list]:
    """A worker, a task leased with an artifact, and one still queued."""
    agent = register_agent(api, person)
    submitted = [
        task_submit(tenant_id=person.tenant_id, skill_id="echo", message=user_message(f"t{i}"))
        for i in range(2)
    ]
    task, _ = task_claim(tenant_id=person.tenant_id, agent_id=agent["id"], timeout=0)
    artifact = {"name": "out", "parts": [{"text": "done"}]}
    task_update(
        tenant_id=person.tenant_id,
        task_id=str(task.id),
        lease_id=task.lease_id,
        state="working",
        artifact_body=artifact,
    )
    return agent["id"], submitted


def dumped_spaces(tenant) -> dict[str, int]:
    out = io.StringIO()
    call_command("fdbstore_dump", "--tenant", str(tenant), stdout=out)
    root = keyspace().root
    found: dict[str, int] = {}
    for line in out.getvalue().splitlines()[1:-1]:
        key = keyspace().root.key() + base64.b64decode(json.loads(line)["key"])
        space = root.unpack(key)[0]
        found[space] = found.get(space, 0) + 1
    return found


def test_a_tenant_dump_holds_its_agents_and_tasks_and_no_one_elses(api, people):
    busy_tenant(api, people.alice)
    busy_tenant(api, people.charlie)
    spaces = dumped_spaces(people.alice.tenant_id)
    assert set(spaces) >= HUB_SPACES
    assert spaces["a2a_tasks"] == 2 and spaces["agents"] == 1
    assert spaces["a2a_leases"] == 1 and spaces["a2a_queue"] == 1


def test_a_tenant_dump_loads_into_another_store_identically(api, people, tmp_path):
    busy_tenant(api, people.alice)
    out = io.StringIO()
    call_command("fdbstore_dump", "--tenant", str(people.alice.tenant_id), stdout=out)
    target = open_store(tmp_path / "target.sqlite3")
    try:
        with use_database(target):
            call_command(
                "fdbstore_load",
                "-",
                stdin=io.BytesIO(out.getvalue().encode()),
                stdout=io.StringIO(),
            )
            again = io.StringIO()
            call_command("fdbstore_dump", "--tenant", str(people.alice.tenant_id), stdout=again)
    finally:
        target.close()
    assert again.getvalue() == out.getvalue()


def test_purge_clears_finished_tasks_past_retention_only(api, alice, frozen_clock, settings):
    settings.AGENTS = {"TASK_RETENTION_DAYS": 7}
    agent = register_agent(api, alice)
    done = task_submit(tenant_id=alice.tenant_id, skill_id="echo", message=user_message("a"))
    waiting = task_submit(tenant_id=alice.tenant_id, skill_id="echo", message=user_message("b"))
    claimed, _ = task_claim(tenant_id=alice.tenant_id, agent_id=agent["id"], timeout=0)
    assert claimed.id == done.id
    task_update(
        tenant_id=alice.tenant_id,
        task_id=str(done.id),
        lease_id=claimed.lease_id,
        state="completed",
    )
    assert tasks_purge().expired == 0
    frozen_clock.tick(days=8)
    assert tasks_purge(dry_run=True).expired == 1
    assert tasks_purge().expired == 1
    ks = keyspace()
    from fdbstore.connection import get_database

    def read(tr):
        return (
            tr.get(ks.a2a_task(done.id)),
            tr.get_range_startswith(ks.a2a_task_log.subspace((done.id,)).key()),
            tr.get(ks.a2a_task(waiting.id)),
        )

    record, log, other = get_database().transact(read)
    assert record is None and log == [] and other is not None


def test_a_deleted_users_tenant_loses_its_agents_and_tasks_with_it(api, people):
    busy_tenant(api, people.alice)
    busy_tenant(api, people.charlie)
    user_delete(email=people.alice.email)  # tenancy/hooks.py: the hub's tenant step
    assert tasks_purge().expired == 0
    assert _spaces_left(people.alice.tenant_id) == set()
    assert dumped_spaces(people.charlie.tenant_id)["a2a_tasks"] == 2


def _spaces_left(tenant) -> set[str]:
    from fdbstore.connection import get_database

    ks = keyspace()
    left = set()
    for name in ("tenant_a2a_tasks", "tenant_agents", "a2a_queue", "a2a_leases"):
        rows = get_database().transact(
            lambda tr, n=name: tr.get_range_startswith(ks.space(n).subspace((tenant,)).key())
        )
        if rows:
            left.add(name)
    return left


def test_purge_expired_reports_the_hub_tasks(api, alice):
    out = io.StringIO()
    call_command("purge_expired", "--json", stdout=out)
    assert "a2aTasks" in json.loads(out.getvalue())
