"""POST /api/v5/auth/login, end to end."""

from __future__ import annotations

import uuid

from accounts import passwords
from accounts.repositories import users
from tests.support.api import STRONG_PASSWORD, error_of, login, register


def test_it_answers_200_with_the_same_shape_as_register(api):
    registered = register(api, company="ACME Corp").json()["data"]
    response = login(api, "ALICE@example.com ")

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["user"] == registered["user"]
    assert data["token"] != registered["token"]


def test_unknown_email_and_wrong_password_get_one_identical_401_body(api):
    register(api)
    wrong_password = login(api, "alice@example.com", "not the password at all")
    unknown_email = login(api, "nobody@example.com", STRONG_PASSWORD)

    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.content == unknown_email.content
    assert error_of(unknown_email) == {
        "code": "invalid_credentials",
        "message": "The email or password is incorrect.",
    }


def test_an_unknown_email_still_runs_the_hasher(api, monkeypatch):
    calls = []
    real_make = passwords.make
    monkeypatch.setattr(passwords, "make", lambda raw: calls.append(raw) or real_make(raw))

    login(api, "nobody@example.com", "some password")

    assert calls == ["some password"]


def test_missing_fields_are_400(api):
    response = api.post("/api/v5/auth/login", {"email": "a@example.com"}, format="json")
    assert response.status_code == 400
    assert set(error_of(response)["details"]) == {"password"}


def test_a_hash_made_with_old_parameters_is_upgraded_at_login(api, settings, store):
    settings.PASSWORD_HASHERS = ["tests.support.hashers.FastArgon2PasswordHasher"]
    user_id = uuid.UUID(register(api).json()["data"]["user"]["id"])
    before = store.transact(lambda tr: users.get(tr, user_id)).password_hash

    settings.PASSWORD_HASHERS = ["tests.support.hashers.OtherFastArgon2PasswordHasher"]
    assert login(api).status_code == 200
    after = store.transact(lambda tr: users.get(tr, user_id)).password_hash

    assert "m=64,t=1,p=1" in before
    assert "m=128,t=2,p=1" in after
    assert login(api).status_code == 200  # the upgraded hash checks


def test_a_wrong_password_does_not_upgrade_the_hash(api, settings, store):
    user_id = uuid.UUID(register(api).json()["data"]["user"]["id"])
    before = store.transact(lambda tr: users.get(tr, user_id)).password_hash
    settings.PASSWORD_HASHERS = ["tests.support.hashers.OtherFastArgon2PasswordHasher"]

    assert login(api, password="a wrong password").status_code == 401
    assert store.transact(lambda tr: users.get(tr, user_id)).password_hash == before
