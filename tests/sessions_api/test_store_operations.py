"""The exact store operations of each session endpoint: our ``assertNumQueries``.

Each request makes a fixed sequence of operations whatever the tenant's size
(pinned here at 3 and at 60 sessions): authentication is one batched read
(revoked jti + the user's token floor); list is one bounded reverse range
read plus one batched get of that page; get is one read; create only writes;
delete is one read and the clears, in one transaction.
"""

from __future__ import annotations

import uuid

import jwt
import pytest

from fdbstore.connection import use_database
from fdbstore.keys import keyspace
from tests.support.api import bearer, register, token_of
from tests.support.recording import RecordingDatabase

SESSIONS = "/api/v5/sessions"


@pytest.fixture
def tenant(api):
    token = token_of(register(api))
    claims = jwt.decode(token, options={"verify_signature": False})
    return {
        "auth": bearer(token),
        "tenant_id": uuid.UUID(claims["tenant_id"]),
        "auth_ops": [
            (
                "get_many",
                (
                    keyspace().revoked_token(claims["jti"]),
                    keyspace().user_token_floor(uuid.UUID(claims["sub"])),
                ),
            ),
            ("commit",),
        ],
    }


def _fill(api, tenant, count: int) -> list[str]:
    return [
        api.post(SESSIONS, {"name": f"s{i}"}, format="json", **tenant["auth"]).json()["data"]["id"]
        for i in range(count)
    ]


def _recorded(store, request):
    recording = RecordingDatabase(store)
    with use_database(recording):
        response = request()
    assert response.status_code < 300, response.content
    return recording.operations, response


@pytest.mark.parametrize("size", [3, 60])
def test_create_writes_the_record_and_its_index_entry_and_reads_nothing(api, store, tenant, size):
    _fill(api, tenant, size)
    ops, response = _recorded(
        store, lambda: api.post(SESSIONS, {"name": "new"}, format="json", **tenant["auth"])
    )
    sid = uuid.UUID(response.json()["data"]["id"])
    ks = keyspace()
    assert ops == tenant["auth_ops"] + [
        ("set", ks.tenant_session(tenant["tenant_id"], sid)),
        ("set", ks.session(sid)),
        ("commit",),
    ]


@pytest.mark.parametrize("size", [3, 60])
def test_list_is_one_bounded_reverse_range_read_and_one_batched_get(api, store, tenant, size):
    ids = _fill(api, tenant, size)
    ops, response = _recorded(store, lambda: api.get(f"{SESSIONS}?limit=20", **tenant["auth"]))

    scope = keyspace().tenant_sessions.subspace((tenant["tenant_id"],)).range()
    page = [uuid.UUID(i) for i in reversed(ids)][:20]
    assert [s["id"] for s in response.json()["data"]] == [str(i) for i in page]
    assert ops == tenant["auth_ops"] + [
        ("get_range", scope.start, scope.stop, 21, True),
        ("get_many", tuple(keyspace().session(i) for i in page)),
        ("commit",),
    ]


def test_a_later_page_costs_what_the_first_costs(api, store, tenant):
    _fill(api, tenant, 60)
    first = api.get(f"{SESSIONS}?limit=20", **tenant["auth"]).json()
    ops, _ = _recorded(
        store,
        lambda: api.get(
            f"{SESSIONS}?limit=20&cursor={first['meta']['nextCursor']}", **tenant["auth"]
        ),
    )
    assert [op[0] for op in ops] == ["get_many", "commit", "get_range", "get_many", "commit"]
    assert ops[2][3] == 21 and len(ops[3][1]) == 20


@pytest.mark.parametrize("size", [3, 60])
def test_get_is_one_read(api, store, tenant, size):
    sid = _fill(api, tenant, size)[0]
    ops, _ = _recorded(store, lambda: api.get(f"{SESSIONS}/{sid}", **tenant["auth"]))
    assert ops == tenant["auth_ops"] + [("get", keyspace().session(uuid.UUID(sid))), ("commit",)]


def _span(scope) -> tuple[bytes, bytes]:
    return scope.start, scope.stop


@pytest.mark.parametrize("size", [3, 60])
def test_delete_is_one_read_and_two_clears_in_one_transaction(api, store, tenant, size):
    sid = uuid.UUID(_fill(api, tenant, size)[0])
    ops, _ = _recorded(store, lambda: api.delete(f"{SESSIONS}/{sid}", **tenant["auth"]))
    ks = keyspace()
    expected = tenant["auth_ops"] + [
        ("get", ks.session(sid)),
        ("clear", ks.tenant_session(tenant["tenant_id"], sid)),
        ("clear", ks.session(sid)),
        # the agents hook (issue 13): one bounded read for tasks tied to the session
        ("get_range", *_span(ks.a2a_session_tasks.range((sid,))), 1, False),
        # the files hook (sessions_api/hooks.py) queues the session's tree for clearing
        ("set", ks.file_trash_entry(sid, uuid.UUID(int=0))),
        ("commit",),
    ]
    assert ops[: len(expected)] == expected
    # After the commit: only the files app's own clearing, in its own transactions
    # (and the agents app's check for tasks of the gone session: issue 13).
    files_spaces = [ks.file_trash, ks.file_entries, ks.file_usage, ks.blob_chunks]
    files_spaces.append(ks.a2a_gone_sessions)
    for op in ops[len(expected) :]:
        keys = [k for k in op[1:] if isinstance(k, bytes)]
        assert all(any(space.contains(k) for space in files_spaces) for k in keys), op
