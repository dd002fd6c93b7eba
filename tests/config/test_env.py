"""The typed environment readers: a bad value is one ConfigError line naming the variable."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import ConfigError, env_bool, env_choice, env_int, env_list, env_str


def test_config_error_is_improperly_configured():
    assert issubclass(ConfigError, ImproperlyConfigured)


def test_it_returns_defaults_for_unset_variables(monkeypatch):
    for name in ("X_STR", "X_BOOL", "X_INT", "X_LIST", "X_CHOICE"):
        monkeypatch.delenv(name, raising=False)
    assert env_str("X_STR", "d") == "d"
    assert env_bool("X_BOOL", True) is True
    assert env_int("X_INT", 7) == 7
    assert env_list("X_LIST", ["a"]) == ["a"]
    assert env_choice("X_CHOICE", "b", ["a", "b"]) == "b"


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("YES", True), ("off", False)])
def test_it_reads_booleans(monkeypatch, raw, expected):
    monkeypatch.setenv("X_BOOL", raw)
    assert env_bool("X_BOOL") is expected


def test_it_rejects_a_non_boolean_with_one_line(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ConfigError) as info:
        env_bool("DEBUG")
    assert str(info.value) == "DEBUG must be a boolean (true/false), got 'maybe'"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", "PORT must be an integer, got 'abc'"),
        ("0", "PORT must be at least 1, got 0"),
        ("70000", "PORT must be at most 65535, got 70000"),
    ],
)
def test_it_rejects_bad_integers(monkeypatch, raw, message):
    monkeypatch.setenv("PORT", raw)
    with pytest.raises(ConfigError, match=f"^{message}$"):
        env_int("PORT", 8080, minimum=1, maximum=65535)


def test_it_splits_lists_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("X_LIST", " a, ,b ,")
    assert env_list("X_LIST") == ["a", "b"]


def test_it_matches_choices_case_insensitively(monkeypatch):
    monkeypatch.setenv("X_CHOICE", "NORMAL")
    assert env_choice("X_CHOICE", "FULL", ["FULL", "NORMAL"]) == "NORMAL"
    monkeypatch.setenv("X_CHOICE", "fast")
    with pytest.raises(ConfigError, match="X_CHOICE must be one of FULL, NORMAL, got 'fast'"):
        env_choice("X_CHOICE", "FULL", ["FULL", "NORMAL"])
