"""POST /api/v5/auth/password: the signed-in user changes their own password."""

from __future__ import annotations

import pytest

from tests.support.api import STRONG_PASSWORD, bearer, error_of, login, register, token_of

NEW_PASSWORD = "a brand new passphrase"


def _change(api, token, current=STRONG_PASSWORD, new=NEW_PASSWORD, **extra):
    body = {"currentPassword": current, "newPassword": new, **extra}
    return api.post("/api/v5/auth/password", body, format="json", **bearer(token))


def _me(api, token):
    return api.get("/api/v5/auth/me", **bearer(token))


@pytest.fixture
def alice(api):
    return token_of(register(api))


def test_it_sets_the_password_voids_other_tokens_and_returns_a_fresh_one(api, alice):
    other = token_of(login(api))
    response = _change(api, alice)

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["user"]["email"] == "alice@example.com"
    for token in (alice, other):
        assert error_of(_me(api, token))["code"] == "token_revoked"
    assert _me(api, data["token"]).status_code == 200
    assert login(api).status_code == 401
    assert login(api, password=NEW_PASSWORD).status_code == 200


def test_a_wrong_current_password_is_401_and_changes_nothing(api, alice):
    response = _change(api, alice, current="not my password")

    assert response.status_code == 401
    assert error_of(response)["code"] == "invalid_credentials"
    assert _me(api, alice).status_code == 200
    assert login(api).status_code == 200


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("short", "This password is too short. It must contain at least 8 characters."),
        ("password123", "This password is too common."),
        ("1234567890123", "This password is entirely numeric."),
        ("alice@example.com", "The password is too similar to the email address."),
        (STRONG_PASSWORD, "The new password must differ from the current one."),
    ],
)
def test_the_validators_messages_come_back_under_new_password(api, alice, new, message):
    response = _change(api, alice, new=new)

    assert response.status_code == 400
    assert message in error_of(response)["details"]["newPassword"]
    assert _me(api, alice).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"currentPassword": STRONG_PASSWORD},
        {"newPassword": NEW_PASSWORD},
        {"currentPassword": 1, "newPassword": NEW_PASSWORD},
        {"currentPassword": STRONG_PASSWORD, "newPassword": NEW_PASSWORD, "extra": 1},
    ],
)
def test_malformed_bodies_are_400(api, alice, body):
    response = api.post("/api/v5/auth/password", body, format="json", **bearer(alice))
    assert response.status_code == 400


def test_it_needs_a_token(api):
    response = api.post(
        "/api/v5/auth/password",
        {"currentPassword": STRONG_PASSWORD, "newPassword": NEW_PASSWORD},
        format="json",
    )
    assert response.status_code == 401


def test_wrong_current_passwords_count_toward_the_login_throttle(api, alice, api_settings):
    rates = {"login": "2/min", "register": "100/min"}
    api_settings.REST_FRAMEWORK = {**api_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    login(api, password="a wrong guess")
    assert _change(api, alice, current="another wrong guess").status_code == 401
    response = _change(api, alice)
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert _me(api, alice).status_code == 200  # nothing changed
