"""A ``contextId`` naming a workspace session ties the task to it; deleting the session
or the tenant deletes the tasks (and the tenant's agents) with it."""

from __future__ import annotations

import base64
import os
import uuid

import pytest

from accounts.services import user_delete
from agents.errors import InvalidContext, TaskNotFound
from agents.purge import tasks_purge
from agents.selectors import task_get
from agents.services import task_submit
from config.api.ids import uuid7
from fdbstore.connection import get_database
from fdbstore.keys import keyspace
from tests.agents.helpers import register_agent, user_message

SESSIONS = "/api/v5/sessions"


def session_of(api, person, name="work") -> str:
    response = api.post(SESSIONS, {"name": name}, format="json", **person.auth)
    assert response.status_code == 201, response.content
    return response.json()["data"]["id"]


def submit(person, context_id, parts=None):
    message = {**user_message("ctx"), "parts": parts or [{"text": "ctx"}]}
    return task_submit(
        tenant_id=person.tenant_id, skill_id="echo", message=message, context_id=context_id
    )


def count(space: str) -> int:
    scope = keyspace().space(space).range()
    return len(get_database().transact(lambda tr: tr.get_range(scope.start, scope.stop)))


def test_a_session_of_the_tenant_as_context_ties_the_task(api, alice):
    register_agent(api, alice)
    session = session_of(api, alice)
    task = submit(alice, session)
    assert task.context_id == session
    assert count("a2a_session_tasks") == 1


@pytest.mark.parametrize("whose", ["charlie", "unknown"])
def test_a_foreign_or_unknown_session_id_is_refused(api, people, whose):
    register_agent(api, people.alice)
    context = session_of(api, people.charlie) if whose == "charlie" else str(uuid7())
    with pytest.raises(InvalidContext):
        submit(people.alice, context)
    assert count("a2a_tasks") == 0 and count("a2a_session_tasks") == 0


def test_other_context_ids_stay_opaque(api, alice):
    register_agent(api, alice)
    for context in (str(uuid.uuid4()), "my-conversation"):
        assert submit(alice, context).context_id == context
    assert count("a2a_session_tasks") == 0


def test_deleting_the_session_deletes_its_tasks_and_their_files(api, alice):
    register_agent(api, alice)
    session, other = session_of(api, alice, "a"), session_of(api, alice, "b")
    raw = {"raw": base64.b64encode(os.urandom(70_000)).decode()}
    tied = [submit(alice, session, [raw]), submit(alice, session)]
    kept = submit(alice, other)
    loose = submit(alice, None)
    assert api.delete(f"{SESSIONS}/{session}", **alice.auth).status_code == 204
    for task in tied:
        with pytest.raises(TaskNotFound):
            task_get(tenant_id=alice.tenant_id, task_id=task.id)
    for task in (kept, loose):
        task_get(tenant_id=alice.tenant_id, task_id=task.id)
    assert count("a2a_session_tasks") == 1 and count("a2a_gone_sessions") == 0
    assert count("a2a_task_blobs") == 0 and count("blob_chunks") == 0


def test_a_gone_session_left_by_a_crash_is_finished_by_the_purge(api, alice):
    register_agent(api, alice)
    session = session_of(api, alice)
    task = submit(alice, session)
    from sessions_api.hooks import no_hooks

    with no_hooks():  # the deletion commits; its after-commit work never runs
        from agents.contexts import session_deleted
        from sessions_api.repositories import sessions

        def delete(tr):
            record = sessions.get(tr, uuid.UUID(session))
            sessions.delete(tr, record)
            session_deleted(tr, record)

        get_database().transact(delete)
    assert count("a2a_gone_sessions") == 1
    tasks_purge()
    with pytest.raises(TaskNotFound):
        task_get(tenant_id=alice.tenant_id, task_id=task.id)
    assert count("a2a_gone_sessions") == 0 and count("a2a_session_tasks") == 0


def test_deleting_a_user_deletes_their_tenants_tasks_and_agents_in_batches(api, people):
    alice, charlie = people.alice, people.charlie
    for person in (alice, charlie):
        register_agent(api, person)
        for _ in range(5):
            submit(person, None)
    session = session_of(api, alice)
    submit(alice, session)
    deletion = user_delete(email=alice.email, batch_size=2)
    assert deletion.transactions > 3  # the hub's tasks went two by two
    ks = keyspace()
    for space in ("tenant_a2a_tasks", "tenant_agents", "a2a_queue", "a2a_signal"):
        scope = ks.space(space).range((alice.tenant_id,))
        assert get_database().transact(lambda tr, s=scope: tr.get_range(s.start, s.stop)) == []
    assert count("a2a_tasks") == 5 and count("agents") == 1  # charlie's
    assert count("a2a_session_tasks") == 0 and count("a2a_gone_sessions") == 0
