"""POST /api/v5/auth/logout and GET /api/v5/auth/me."""

from __future__ import annotations

from fdbstore.backends.embedded import EmbeddedDatabase
from fdbstore.connection import use_database
from tests.support.api import bearer, error_of, login, register, token_of


def test_me_returns_the_user_in_the_same_shape_as_register(api):
    registered = register(api).json()["data"]
    response = api.get("/api/v5/auth/me", **bearer(registered["token"]))

    assert response.status_code == 200
    assert response.json() == {"success": True, "data": registered["user"]}


def test_me_shows_a_members_role_in_the_tokens_tenant(people, api):
    response = api.get("/api/v5/auth/me", **people.bob.auth)
    assert response.json()["data"]["role"] == "member"


def test_me_without_a_token_is_401(api):
    response = api.get("/api/v5/auth/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert error_of(response)["code"] == "not_authenticated"


def test_logout_answers_the_guides_body(api):
    token = token_of(register(api))
    response = api.post("/api/v5/auth/logout", **bearer(token))

    assert response.status_code == 200
    assert response.json() == {"success": True, "data": {"message": "Logged out successfully"}}


def test_logout_revokes_the_presented_token_and_only_it(api):
    first = token_of(register(api))
    second = token_of(login(api))

    api.post("/api/v5/auth/logout", **bearer(first))

    for path in ("/api/v5/auth/me", "/api/v5/sessions"):
        response = api.get(path, **bearer(first))
        assert response.status_code == 401
        assert error_of(response)["code"] == "token_revoked"
    assert api.post("/api/v5/auth/logout", **bearer(first)).status_code == 401
    assert api.get("/api/v5/auth/me", **bearer(second)).status_code == 200


def test_a_logout_is_seen_at_once_through_another_handle_on_the_store(api, store):
    token = token_of(register(api))
    other = EmbeddedDatabase(path=store.path, synchronous="NORMAL")  # as another process would
    try:
        with use_database(other):
            assert api.get("/api/v5/auth/me", **bearer(token)).status_code == 200
        api.post("/api/v5/auth/logout", **bearer(token))
        with use_database(other):
            assert api.get("/api/v5/auth/me", **bearer(token)).status_code == 401
    finally:
        other.close()


def test_logout_without_a_token_is_401(api):
    response = api.post("/api/v5/auth/logout")
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"
