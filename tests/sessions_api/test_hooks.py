"""``sessions_api/hooks.py``: callbacks run when sessions are deleted, one or in bulk."""

from __future__ import annotations

import uuid

import pytest

from sessions_api import hooks
from tests.support.api import bearer, register, token_of
from tests.support.commands import run

SESSIONS = "/api/v5/sessions"


@pytest.fixture
def seen():
    record: dict[str, list] = {"in_tr": [], "after": []}
    with hooks.no_hooks():
        hooks.on_session_deleted(lambda tr, session: record["in_tr"].append(session.id))
        hooks.after_sessions_deleted(lambda ids: record["after"].append(ids))
        yield record


def test_deleting_a_session_runs_both_hooks(api, seen):
    auth = bearer(token_of(register(api)))
    sid = api.post(SESSIONS, {"name": "s"}, format="json", **auth).json()["data"]["id"]
    assert api.delete(f"{SESSIONS}/{sid}", **auth).status_code == 204
    assert seen["in_tr"] == [uuid.UUID(sid)]
    assert seen["after"] == [[uuid.UUID(sid)]]


def test_a_refused_delete_runs_no_hook(api, seen):
    auth = bearer(token_of(register(api)))
    assert api.delete(f"{SESSIONS}/{uuid.uuid4()}", **auth).status_code == 404
    assert seen == {"in_tr": [], "after": []}


def test_deleteuser_runs_the_hooks_for_every_session_in_batches(api, seen):
    auth = bearer(token_of(register(api)))
    ids = {
        uuid.UUID(api.post(SESSIONS, {"name": f"s{i}"}, format="json", **auth).json()["data"]["id"])
        for i in range(5)
    }
    run("deleteuser", "alice@example.com", "--yes", "--batch-size", "2")
    assert sorted(seen["in_tr"]) == sorted(ids)
    assert seen["after"] == [None]  # "finish whatever is queued", once, after the last commit


def test_registering_twice_is_harmless():
    def callback(tr, session):
        return None

    with hooks.no_hooks():
        hooks.on_session_deleted(callback)
        hooks.on_session_deleted(callback)
        assert hooks._deleted == [callback]


def test_a_failing_cleanup_does_not_undo_or_fail_the_delete(api, caplog):
    def broken(ids):
        raise RuntimeError("store hiccup")

    auth = bearer(token_of(register(api)))
    sid = api.post(SESSIONS, {"name": "s"}, format="json", **auth).json()["data"]["id"]
    with hooks.no_hooks():
        hooks.after_sessions_deleted(broken)
        assert api.delete(f"{SESSIONS}/{sid}", **auth).status_code == 204
    assert api.get(f"{SESSIONS}/{sid}", **auth).status_code == 404
    assert "purge_expired retries it" in caplog.text
