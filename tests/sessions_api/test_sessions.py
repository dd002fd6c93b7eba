"""The session endpoints, end to end: create, list (paged), get and delete."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from config.api import clock
from fdbstore import errors
from fdbstore.connection import use_database
from fdbstore.keys import keyspace
from tests.support.api import bearer, error_of, register, token_of
from tests.support.recording import RecordingDatabase

SESSIONS = "/api/v5/sessions"


@pytest.fixture
def auth(api) -> dict[str, str]:
    return bearer(token_of(register(api)))


def create(api, auth, name="My Session", **extra):
    return api.post(SESSIONS, {"name": name, **extra}, format="json", **auth)


def test_create_answers_201_with_the_session(api, auth, frozen_clock):
    response = create(api, auth, workspacePath="/workspace/test")

    assert response.status_code == 201
    session = response.json()["data"]
    me = api.get("/api/v5/auth/me", **auth).json()["data"]
    assert session == {
        "id": session["id"],
        "tenantId": session["tenantId"],
        "userId": me["id"],
        "name": "My Session",
        "workspacePath": "/workspace/test",
        "createdAt": "2030-01-02T03:04:05.678000Z",
        "updatedAt": "2030-01-02T03:04:05.678000Z",
    }
    assert uuid.UUID(session["id"]).version == 7


def test_workspace_path_is_optional_and_null_when_absent(api, auth):
    assert create(api, auth).json()["data"]["workspacePath"] is None


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": "   "},
        {"name": "x" * 201},
        {"name": 5},
        {"name": "ok", "workspacePath": "p" * 1025},
        {"name": "a\x00b"},
    ],
)
def test_invalid_bodies_are_400_with_field_errors(api, auth, body):
    response = api.post(SESSIONS, body, format="json", **auth)
    assert response.status_code == 400
    assert error_of(response)["details"]


def test_get_returns_the_session(api, auth):
    created = create(api, auth).json()["data"]
    response = api.get(f"{SESSIONS}/{created['id']}", **auth)
    assert response.status_code == 200
    assert response.json() == {"success": True, "data": created}


@pytest.mark.parametrize("bad_id", ["nope", "1234", "x" * 300, str(uuid.uuid4()), "%00"])
def test_unknown_and_malformed_ids_are_one_404(api, auth, bad_id):
    for method in (api.get, api.delete):
        response = method(f"{SESSIONS}/{bad_id}", **auth)
        assert response.status_code == 404
        assert error_of(response) == {"code": "session_not_found", "message": "Session not found."}


def test_delete_answers_204_and_the_session_is_gone(api, auth):
    created = create(api, auth).json()["data"]
    response = api.delete(f"{SESSIONS}/{created['id']}", **auth)

    assert response.status_code == 204
    assert response.content == b""
    assert api.get(f"{SESSIONS}/{created['id']}", **auth).status_code == 404
    assert api.delete(f"{SESSIONS}/{created['id']}", **auth).status_code == 404
    assert api.get(SESSIONS, **auth).json()["data"] == []


def test_list_is_an_array_newest_first_with_a_next_cursor(api, auth, frozen_clock):
    for i in range(5):
        create(api, auth, name=f"s{i}")
        frozen_clock.tick(milliseconds=1 if i % 2 else 0)  # same-millisecond ids still order

    first = api.get(f"{SESSIONS}?limit=2", **auth).json()
    second = api.get(f"{SESSIONS}?limit=2&cursor={first['meta']['nextCursor']}", **auth).json()
    third = api.get(f"{SESSIONS}?limit=2&cursor={second['meta']['nextCursor']}", **auth).json()

    assert [s["name"] for s in first["data"]] == ["s4", "s3"]
    assert [s["name"] for s in second["data"]] == ["s2", "s1"]
    assert [s["name"] for s in third["data"]] == ["s0"]
    assert third["meta"] == {"nextCursor": None, "limit": 2}


def test_list_defaults_to_20_and_refuses_limits_out_of_range(api, auth):
    for i in range(21):
        create(api, auth, name=f"s{i}")
    body = api.get(SESSIONS, **auth).json()
    assert len(body["data"]) == 20 and body["meta"]["limit"] == 20
    assert len(api.get(f"{SESSIONS}?limit=100", **auth).json()["data"]) == 21
    for bad in ("0", "101", "-1", "ten", "1.5"):
        response = api.get(f"{SESSIONS}?limit={bad}", **auth)
        assert response.status_code == 400, bad
        assert "limit" in error_of(response)["details"]


@pytest.mark.parametrize("cursor", ["garbage", "AAAA", "%F0%9F%98%80", "x" * 600, "MzA"])
def test_malformed_cursors_are_400(api, auth, cursor):
    create(api, auth)
    response = api.get(f"{SESSIONS}?cursor={cursor}", **auth)
    assert response.status_code == 400
    assert "cursor" in error_of(response)["details"]


def test_sessions_and_times_are_iso_8601_utc(api, auth):
    with clock.frozen(clock.now().replace(microsecond=0) - timedelta(days=1)):
        created = create(api, auth).json()["data"]
    assert created["createdAt"].endswith("Z")


def test_every_session_endpoint_needs_a_token(api):
    some_id = str(uuid.uuid4())
    for method, path in [
        ("get", SESSIONS),
        ("post", SESSIONS),
        ("get", f"{SESSIONS}/{some_id}"),
        ("delete", f"{SESSIONS}/{some_id}"),
    ]:
        response = getattr(api, method)(path)
        assert response.status_code == 401
        assert error_of(response)["code"] == "not_authenticated"


def test_a_trailing_slash_is_accepted(api, auth):
    created = create(api, auth).json()["data"]
    assert api.get(f"{SESSIONS}/", **auth).status_code == 200
    assert api.get(f"{SESSIONS}/{created['id']}/", **auth).status_code == 200


@pytest.mark.parametrize("code", sorted(errors.MAYBE_COMMITTED))
def test_a_delete_retried_after_commit_unknown_result_that_landed_is_still_204(
    api, auth, store, code
):
    created = create(api, auth).json()["data"]
    flaky = RecordingDatabase(store)
    flaky.fail_once(writing=keyspace().sessions.key(), code=code, landed=True)
    with use_database(flaky):
        response = api.delete(f"{SESSIONS}/{created['id']}", **auth)

    assert response.status_code == 204
    assert ("on_error", code) in flaky.operations
    assert api.get(f"{SESSIONS}/{created['id']}", **auth).status_code == 404


def test_an_empty_cursor_means_the_first_page_and_an_empty_limit_is_400(api, auth):
    create(api, auth)
    response = api.get(f"{SESSIONS}?cursor=", **auth)
    assert response.status_code == 200
    assert response.json()["meta"]["limit"] == 20
    assert api.get(f"{SESSIONS}?limit=", **auth).status_code == 400
