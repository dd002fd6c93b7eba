"""``changepassword`` (ours, not django.contrib.auth's) and ``revoke_tokens``."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import get_commands
from django.core.management.base import CommandError

from config.api import clock
from tests.support.api import bearer, error_of, login, register, token_of
from tests.support.commands import Terminal, getpass_answers, run, run_json

NEW_PASSWORD = "a brand new passphrase"


def _me(api, token):
    return api.get("/api/v5/auth/me", **bearer(token))


@pytest.fixture
def alice_token(api) -> str:
    with clock.frozen(clock.now() - timedelta(seconds=10)):
        return token_of(register(api))


# -- changepassword ----------------------------------------------------------------
def test_our_changepassword_replaces_django_contrib_auths():
    assert get_commands()["changepassword"] == "accounts"


def test_changepassword_reads_stdin_and_revokes_the_users_tokens(api, alice_token):
    out, _ = run("changepassword", "Alice@Example.com", "--stdin", stdin=Terminal(NEW_PASSWORD))
    assert "Password changed for alice@example.com" in out
    assert error_of(_me(api, alice_token))["code"] == "token_revoked"
    assert login(api).status_code == 401
    assert _me(api, token_of(login(api, password=NEW_PASSWORD))).status_code == 200


def test_changepassword_prompts_twice(api, alice_token, monkeypatch):
    prompts = getpass_answers(monkeypatch, NEW_PASSWORD, NEW_PASSWORD)
    _, err = run("changepassword", "alice@example.com", stdin=Terminal())
    assert prompts == ["Password: ", "Password (again): "]
    assert "Changing password for alice@example.com" in err
    assert login(api, password=NEW_PASSWORD).status_code == 200


def test_changepassword_asks_again_after_a_mismatch_or_a_weak_password(api, monkeypatch):
    register(api)
    getpass_answers(
        monkeypatch,
        "one passphrase",
        "another one",
        "password",
        "password",
        NEW_PASSWORD,
        NEW_PASSWORD,
    )
    _, err = run("changepassword", "alice@example.com", stdin=Terminal())
    assert "Passwords do not match" in err
    assert "password: This password is too common." in err
    assert login(api, password=NEW_PASSWORD).status_code == 200


def test_changepassword_gives_up_after_three_attempts(api, monkeypatch):
    register(api)
    getpass_answers(monkeypatch, *["a passphrase", "a different one"] * 3)
    with pytest.raises(CommandError, match="after 3 attempts") as caught:
        run("changepassword", "alice@example.com", stdin=Terminal())
    assert caught.value.returncode == 1
    assert login(api).status_code == 200  # unchanged


def test_changepassword_reports_the_validators_messages_on_one_line(api):
    register(api)
    with pytest.raises(CommandError) as caught:
        run("changepassword", "alice@example.com", "--stdin", stdin=Terminal("1234"))
    message = str(caught.value)
    assert message.startswith("password: This password is too short.")
    assert "entirely numeric" in message and "\n" not in message


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["nobody@example.com", "--stdin"], Terminal(NEW_PASSWORD), "No user with email"),
        (["alice@example.com", "--stdin"], Terminal(""), "no password on standard input"),
        (["alice@example.com"], io.StringIO(""), "not a terminal: pass --stdin"),
    ],
    ids=["unknown email", "empty stdin", "prompt without a terminal"],
)
def test_changepassword_refuses_bad_input(api, args, stdin, message):
    register(api)
    with pytest.raises(CommandError, match=message):
        run("changepassword", *args, stdin=stdin)


def test_changepassword_json(api):
    register(api)
    data = run_json("changepassword", "alice@example.com", "--stdin", stdin=Terminal(NEW_PASSWORD))
    assert data["user"]["email"] == "alice@example.com" and data["tokensRevoked"] is True
    assert "passwordHash" not in data["user"] and "password_hash" not in str(data)


# -- revoke_tokens -----------------------------------------------------------------
def test_revoke_tokens_voids_every_token_and_keeps_the_password(api, alice_token):
    out, _ = run("revoke_tokens", "--user", "alice@example.com")
    assert out == "Revoked every token of alice@example.com issued until now.\n"
    assert error_of(_me(api, alice_token))["code"] == "token_revoked"
    assert _me(api, token_of(login(api))).status_code == 200


def test_revoke_tokens_json_and_errors(api, alice_token):
    data = run_json("revoke_tokens", "--user", "alice@example.com")
    assert data["user"]["email"] == "alice@example.com" and isinstance(data["floorMs"], int)
    with pytest.raises(CommandError, match=r"No user with email nobody@example\.com"):
        run("revoke_tokens", "--user", "nobody@example.com")
    with pytest.raises(CommandError, match="--user"):
        run("revoke_tokens")
