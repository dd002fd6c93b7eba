"""PATCH /api/v5/auth/me: profile fields, and the email change with currentPassword."""

from __future__ import annotations

import threading
import uuid

import pytest
from rest_framework.test import APIClient

from accounts.repositories import users
from fdbstore import errors
from fdbstore.checks import check_repository
from fdbstore.connection import get_database, use_database
from fdbstore.keys import keyspace
from tests.support.api import STRONG_PASSWORD, bearer, error_of, register, token_of
from tests.support.recording import RecordingDatabase


def _patch(api, token, body):
    return api.patch("/api/v5/auth/me", body, format="json", **bearer(token))


@pytest.fixture
def alice(api):
    return token_of(register(api, company="ACME"))


def test_it_updates_the_given_fields_and_name_follows(api, alice):
    response = _patch(api, alice, {"firstName": "Alicia", "company": None})

    assert response.status_code == 200
    user = response.json()["data"]
    assert (user["firstName"], user["lastName"], user["name"]) == (
        "Alicia",
        "Archer",
        "Alicia Archer",
    )
    assert user["company"] is None
    assert api.get("/api/v5/auth/me", **bearer(alice)).json()["data"] == user


def test_an_empty_company_clears_it_as_registration_does(api, alice):
    assert _patch(api, alice, {"company": ""}).json()["data"]["company"] is None


def test_an_empty_body_changes_nothing(api, alice):
    before = api.get("/api/v5/auth/me", **bearer(alice)).json()["data"]
    assert _patch(api, alice, {}).json()["data"] == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"firstName": ""}, "firstName"),
        ({"lastName": "x" * 151}, "lastName"),
        ({"company": 5}, "company"),
        ({"id": "00000000-0000-0000-0000-000000000000"}, "id"),
        ({"password": STRONG_PASSWORD}, "password"),
        ({"email": "not-an-email", "currentPassword": STRONG_PASSWORD}, "email"),
        ({"email": "new@example.com"}, "currentPassword"),
    ],
)
def test_bad_fields_are_a_400_naming_them(api, alice, body, field):
    response = _patch(api, alice, body)
    assert response.status_code == 400
    assert field in error_of(response)["details"]


def test_it_needs_a_token(api):
    assert _patch(api, "nope", {"firstName": "X"}).status_code == 401
    assert api.patch("/api/v5/auth/me", {}, format="json").status_code == 401


def test_an_email_change_releases_the_old_entry_claims_the_new_and_voids_old_tokens(api, alice):
    response = _patch(
        api, alice, {"email": " New@Example.com ", "currentPassword": STRONG_PASSWORD}
    )

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["user"]["email"] == "new@example.com"
    assert error_of(api.get("/api/v5/auth/me", **bearer(alice)))["code"] == "token_revoked"
    assert api.get("/api/v5/auth/me", **bearer(data["token"])).json()["data"] == data["user"]
    db = get_database()
    ks = keyspace()
    assert db.transact(lambda tr: tr.get(ks.user_by_email("alice@example.com"))) is None
    holder = db.transact(lambda tr: users.lookup_unique(tr, "by_email", "new@example.com"))
    assert holder == (uuid.UUID(data["user"]["id"]),)
    login = api.post(
        "/api/v5/auth/login",
        {"email": "new@example.com", "password": STRONG_PASSWORD},
        format="json",
    )
    assert login.status_code == 200


def test_a_wrong_current_password_is_401_and_changes_nothing(api, alice):
    response = _patch(api, alice, {"email": "new@example.com", "currentPassword": "wrong guess"})

    assert response.status_code == 401
    assert error_of(response)["code"] == "invalid_credentials"
    assert (
        api.get("/api/v5/auth/me", **bearer(alice)).json()["data"]["email"] == "alice@example.com"
    )


def test_a_taken_email_is_409_and_changes_nothing(api, alice):
    register(api, "bob@example.com")
    response = _patch(api, alice, {"email": "BOB@example.com", "currentPassword": STRONG_PASSWORD})

    assert response.status_code == 409
    assert error_of(response)["code"] == "email_taken"
    assert api.get("/api/v5/auth/me", **bearer(alice)).status_code == 200  # token still live


def test_the_same_email_again_still_rotates_the_token(api, alice):
    response = _patch(
        api, alice, {"email": "alice@example.com", "currentPassword": STRONG_PASSWORD}
    )
    assert response.status_code == 200
    assert api.get("/api/v5/auth/me", **bearer(response.json()["data"]["token"])).status_code == 200


def test_wrong_current_passwords_count_toward_the_login_throttle(api, alice, api_settings):
    rates = {"login": "3/min", "register": "100/min"}
    api_settings.REST_FRAMEWORK = {**api_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    for _ in range(3):
        assert _patch(api, alice, {"currentPassword": "wrong guess"}).status_code == 401
    response = _patch(api, alice, {"currentPassword": STRONG_PASSWORD})
    assert response.status_code == 429
    login = api.post(
        "/api/v5/auth/login",
        {"email": "alice@example.com", "password": STRONG_PASSWORD},
        format="json",
    )
    assert login.status_code == 429  # the same counters
    assert _patch(api, alice, {"firstName": "Still"}).status_code == 200  # no password: not counted


@pytest.mark.parametrize("code", sorted(errors.MAYBE_COMMITTED))
def test_an_email_change_retried_after_a_maybe_committed_error_still_answers_a_live_token(
    api, store, alice, code
):
    flaky = RecordingDatabase(store)
    flaky.fail_once(writing=keyspace().users.key(), code=code, landed=True)
    with use_database(flaky):
        response = _patch(
            api, alice, {"email": "new@example.com", "currentPassword": STRONG_PASSWORD}
        )

    assert response.status_code == 200
    assert ("on_error", code) in flaky.operations
    assert api.get("/api/v5/auth/me", **bearer(response.json()["data"]["token"])).status_code == 200


def test_two_users_racing_for_one_address_end_with_one_winner_and_no_orphan(api):
    tokens = [token_of(register(api, f"racer{i}@example.com")) for i in range(6)]
    barrier = threading.Barrier(len(tokens))
    statuses: list[int] = []

    def attempt(token: str) -> None:
        barrier.wait()
        body = {"email": "prize@example.com", "currentPassword": STRONG_PASSWORD}
        statuses.append(_patch(APIClient(), token, body).status_code)

    threads = [threading.Thread(target=attempt, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200] + [409] * (len(tokens) - 1)
    space = keyspace().users_by_email.range()
    rows = get_database().transact(lambda tr: tr.get_range(space.start, space.stop))
    emails = sorted(keyspace().users_by_email.unpack(row.key)[0] for row in rows)
    assert len(emails) == len(tokens) and "prize@example.com" in emails
    report = check_repository(get_database(), "users", users)
    assert report.ok, report
