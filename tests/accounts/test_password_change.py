"""Changing a password, or revoking every token, voids exactly the tokens issued before.

The token floor is an epoch millisecond and a token's jti a UUIDv7
(``accounts/revocation.py``). These tests freeze the clock on one instant to
show the rule does not depend on the clock's resolution: a token issued in
the very millisecond of a change is void if it was issued before it and live
if after it.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import jwt
import pytest

from accounts import passwords
from accounts.revocation import FLOOR_MARGIN_MS, floor_raise
from accounts.services import tokens_revoke_all, user_password_change
from config.api import clock
from config.api.ids import epoch_ms, uuid7_ms
from fdbstore.connection import get_database
from tests.support.api import bearer, error_of, login, register, token_of

NEW_PASSWORD = "a brand new passphrase"
EMAIL = "alice@example.com"


def _me(api, token):
    return api.get("/api/v5/auth/me", **bearer(token))


def _jti_ms(token: str) -> int:
    return uuid7_ms(uuid.UUID(jwt.decode(token, options={"verify_signature": False})["jti"]))


@pytest.fixture
def an_hour_ago():
    """A frozen clock an hour back: tokens issued then are still within their 24 h."""
    with clock.frozen(clock.now() - timedelta(hours=1)) as frozen:
        yield frozen


def test_it_revokes_every_token_of_the_user_and_only_theirs(api, an_hour_ago):
    first = token_of(register(api))
    second = token_of(login(api))
    other = token_of(register(api, "other@example.com"))
    an_hour_ago.tick(seconds=5)
    user_password_change(email=EMAIL, password=NEW_PASSWORD)

    for token in (first, second):
        assert error_of(_me(api, token))["code"] == "token_revoked"
    assert _me(api, other).status_code == 200
    assert login(api).status_code == 401
    assert _me(api, token_of(login(api, password=NEW_PASSWORD))).status_code == 200


def test_in_one_millisecond_the_token_before_the_change_is_void_the_one_after_is_not(
    api, an_hour_ago
):
    register(api)
    before = token_of(login(api))
    user_password_change(email=EMAIL, password=NEW_PASSWORD)
    after = token_of(login(api, password=NEW_PASSWORD))  # same frozen millisecond

    assert _jti_ms(before) == epoch_ms(clock.now())
    assert error_of(_me(api, before))["code"] == "token_revoked"
    assert _me(api, after).status_code == 200


def test_a_login_racing_the_change_with_the_old_password_gets_a_void_token(
    api, an_hour_ago, monkeypatch
):
    """The login reads the user (old hash, old floor); the change commits while it
    checks the password; the token it then issues must be void."""
    register(api)
    real_check = passwords.check

    def check_while_the_password_changes(password, encoded, *, upgrade):
        an_hour_ago.tick(seconds=1)
        user_password_change(email=EMAIL, password=NEW_PASSWORD)
        an_hour_ago.tick(seconds=1)
        return real_check(password, encoded, upgrade=upgrade)

    monkeypatch.setattr(passwords, "check", check_while_the_password_changes)
    raced = token_of(login(api))
    monkeypatch.undo()

    assert error_of(_me(api, raced))["code"] == "token_revoked"
    assert _me(api, token_of(login(api, password=NEW_PASSWORD))).status_code == 200


def test_a_login_that_read_before_a_revocation_committed_gets_a_void_token(api, an_hour_ago):
    """The revocation computes its floor, the login starts a second later and reads the
    user before the revocation commits: the floor's margin still covers its token."""
    user_id = uuid.UUID(register(api).json()["data"]["user"]["id"])
    revocation = get_database().create_transaction()
    floor_raise(revocation, user_id=user_id)
    an_hour_ago.tick(seconds=1)
    raced = token_of(login(api))  # reads the old (no) floor: the revocation is not committed
    revocation.commit()

    assert error_of(_me(api, raced))["code"] == "token_revoked"


def test_a_token_issued_between_two_changes_in_one_millisecond_dies_with_the_second(
    api, an_hour_ago
):
    register(api)
    user_password_change(email=EMAIL, password=NEW_PASSWORD)
    between = token_of(login(api, password=NEW_PASSWORD))
    assert _me(api, between).status_code == 200
    _user, floor = tokens_revoke_all(email=EMAIL)

    assert floor >= _jti_ms(between)
    assert error_of(_me(api, between))["code"] == "token_revoked"


def test_the_floor_is_past_the_change_by_the_transaction_lifetime(api, an_hour_ago):
    register(api)
    _user, floor = tokens_revoke_all(email=EMAIL)
    assert floor == epoch_ms(clock.now()) + FLOOR_MARGIN_MS
    after = token_of(login(api))
    assert _jti_ms(after) == floor + 1
    assert _me(api, after).status_code == 200


def test_revoking_all_tokens_keeps_the_password(api, an_hour_ago):
    token = token_of(register(api))
    tokens_revoke_all(email=EMAIL)
    assert error_of(_me(api, token))["code"] == "token_revoked"
    assert _me(api, token_of(login(api))).status_code == 200


def test_the_new_password_must_pass_the_validators(api):
    register(api)
    with pytest.raises(Exception) as raised:
        user_password_change(email=EMAIL, password="123")
    assert "too short" in str(raised.value.details["password"])
