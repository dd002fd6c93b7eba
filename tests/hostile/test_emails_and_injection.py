"""Unicode and over-long emails, and payloads that look like injection.

A bad email is a 400 naming ``email`` on register and login, and writes
nothing. Unusual but valid addresses are stored normalised and log in as
typed. Injection-looking text in free-text fields is valid data: it is stored
and answered back byte for byte, as JSON, and adds exactly the keys a normal
request adds -- nothing in it is interpreted by the store, the key layout or
the response.
"""

from __future__ import annotations

import json

import pytest

from tests.support.api import STRONG_PASSWORD, bearer, login, register
from tests.support.envelope import assert_error_envelope
from tests.support.hostile import BAD_EMAILS, INJECTION_TEXTS, ODD_VALID_EMAILS
from tests.support.snapshot import spaces_of, store_snapshot

# Unlike the default test password, shares no words with any injection text (the
# similarity validator would rightly refuse a password like the user's name).
OTHER_PASSWORD = "v9-Qm!z7Kp2#Lr"
REGISTER_ADDS = {
    "users": 1,
    "users_by_email": 1,
    "tenants": 1,
    "user_tenants": 1,
    "tenant_users": 1,
}
SESSION_ADDS = {"sessions": 1, "tenant_sessions": 1}


def added(before: dict, after: dict) -> dict[str, int]:
    counts, earlier = spaces_of(after), spaces_of(before)
    return {name: n - earlier.get(name, 0) for name, n in counts.items() if n != earlier.get(name)}


@pytest.mark.parametrize("endpoint", ["register", "login"])
def test_bad_emails_are_400_and_write_nothing(world, endpoint):
    for label, email in BAD_EMAILS:
        send = register if endpoint == "register" else login
        response = send(world.api, email)
        error = assert_error_envelope(response, 400)
        assert "email" in error["details"], label
        world.assert_unchanged(label)


@pytest.mark.parametrize(
    ("label", "typed", "stored"), ODD_VALID_EMAILS, ids=[e[0] for e in ODD_VALID_EMAILS]
)
def test_unusual_valid_emails_are_stored_normalised_and_log_in_as_typed(
    world, label, typed, stored
):
    before = store_snapshot(world.db)
    response = register(world.api, typed)
    assert response.status_code == 201, response.content
    assert response.json()["data"]["user"]["email"] == stored
    assert added(before, store_snapshot(world.db)) == REGISTER_ADDS
    assert login(world.api, typed).status_code == 200
    assert login(world.api, stored).status_code == 200
    assert_error_envelope(register(world.api, stored.upper()), 409)


def test_injection_looking_names_are_stored_and_answered_verbatim(world):
    for i, (label, text) in enumerate(INJECTION_TEXTS):
        before = store_snapshot(world.db)
        response = register(
            world.api,
            f"inject{i}@example.com",
            password=OTHER_PASSWORD,
            first_name=text,
            last_name=text,
            company=text,
        )
        assert response.status_code == 201, (label, response.content)
        assert response["Content-Type"] == "application/json"
        assert added(before, store_snapshot(world.db)) == REGISTER_ADDS, label
        me = world.api.get("/api/v5/auth/me", **bearer(response.json()["data"]["token"]))
        user = json.loads(me.content)["data"]
        assert (user["firstName"], user["lastName"], user["company"]) == (text, text, text), label


def test_injection_looking_session_fields_are_stored_and_answered_verbatim(world):
    for label, text in INJECTION_TEXTS:
        before = store_snapshot(world.db)
        body = {"name": text, "workspacePath": text}
        response = world.api.post("/api/v5/sessions", body, format="json", **world.auth)
        assert response.status_code == 201, (label, response.content)
        assert added(before, store_snapshot(world.db)) == SESSION_ADDS, label
        sid = response.json()["data"]["id"]
        fetched = world.api.get(f"/api/v5/sessions/{sid}", **world.auth).json()["data"]
        assert (fetched["name"], fetched["workspacePath"]) == (text, text), label


def test_injection_looking_credentials_are_only_ever_wrong(world):
    for label, text in INJECTION_TEXTS:
        response = login(world.api, "alice@example.com", text)
        assert_error_envelope(response, 401 if "\x00" not in text else 400)
        world.assert_unchanged(label)
    assert login(world.api, "alice@example.com", STRONG_PASSWORD).status_code == 200


@pytest.mark.parametrize(
    "email",
    ["alice@example.com' --", "alice@example.com\x00", "*@example.com", "%@example.com"],
)
def test_wildcard_or_truncating_emails_never_reach_alices_account(world, email):
    response = login(world.api, email)
    assert response.status_code in (400, 401)
    assert_error_envelope(response)
