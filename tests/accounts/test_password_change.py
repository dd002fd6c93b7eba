"""Changing a password (service and ``set_password`` command) revokes every token."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from accounts.services import user_password_change
from config.api import clock
from tests.support.api import bearer, error_of, login, register, token_of

NEW_PASSWORD = "a brand new passphrase"


def _me(api, token):
    return api.get("/api/v5/auth/me", **bearer(token))


def test_it_revokes_every_token_of_the_user_and_only_theirs(api):
    start = clock.now()
    with clock.frozen(start - timedelta(seconds=10)):
        first = token_of(register(api))
        second = token_of(login(api))
        other = token_of(register(api, "other@example.com"))
    with clock.frozen(start - timedelta(seconds=5)):
        user_password_change(email="alice@example.com", password=NEW_PASSWORD)

    for token in (first, second):
        assert error_of(_me(api, token))["code"] == "token_revoked"
    assert _me(api, other).status_code == 200
    assert login(api).status_code == 401
    assert _me(api, token_of(login(api, password=NEW_PASSWORD))).status_code == 200


def test_a_token_issued_in_the_same_second_as_the_change_is_void_the_next_second_is_not(api):
    register(api)
    second = (clock.now() - timedelta(hours=1)).replace(microsecond=0)
    with clock.frozen(second + timedelta(milliseconds=100)):
        before = token_of(login(api))
    with clock.frozen(second + timedelta(milliseconds=500)):
        user_password_change(email="alice@example.com", password=NEW_PASSWORD)
    with clock.frozen(second + timedelta(milliseconds=900)):
        same_second = token_of(login(api, password=NEW_PASSWORD))
    with clock.frozen(second + timedelta(seconds=1)):
        next_second = token_of(login(api, password=NEW_PASSWORD))

    assert error_of(_me(api, before))["code"] == "token_revoked"
    assert error_of(_me(api, same_second))["code"] == "token_revoked"  # strict: iat <= floor
    assert _me(api, next_second).status_code == 200


def test_the_new_password_must_pass_the_validators(api):
    register(api)
    with pytest.raises(Exception) as raised:
        user_password_change(email="alice@example.com", password="123")
    assert "too short" in str(raised.value.details["password"])


def test_the_command_reads_the_password_from_stdin(api, monkeypatch):
    with clock.frozen(clock.now() - timedelta(seconds=10)):
        token = token_of(register(api))
    monkeypatch.setattr("sys.stdin", io.StringIO(NEW_PASSWORD + "\n"))
    out = io.StringIO()
    with clock.frozen(clock.now() - timedelta(seconds=5)):
        call_command("set_password", "Alice@Example.com", "--stdin", stdout=out)

    assert "Password changed for alice@example.com" in out.getvalue()
    assert _me(api, token).status_code == 401
    assert login(api, password=NEW_PASSWORD).status_code == 200


def test_the_command_prompts_twice_and_refuses_a_mismatch(api, monkeypatch):
    register(api)
    answers = iter(["one passphrase here", "another passphrase"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="do not match"):
        call_command("set_password", "alice@example.com")


def test_the_command_reports_an_unknown_user_and_a_weak_password(api, monkeypatch):
    register(api)
    monkeypatch.setattr("sys.stdin", io.StringIO(NEW_PASSWORD + "\n"))
    with pytest.raises(CommandError, match="no user"):
        call_command("set_password", "nobody@example.com", "--stdin")
    monkeypatch.setattr("sys.stdin", io.StringIO("password\n"))
    with pytest.raises(CommandError, match="too common"):
        call_command("set_password", "alice@example.com", "--stdin")
