"""The .env reader: development convenience that never overrides the real environment."""

from __future__ import annotations

import os

import pytest

from config.dotenv import load, parse
from config.env import ConfigError


def test_it_parses_the_subset_env_example_uses():
    text = """
# comment
export HOST=0.0.0.0
PORT = 8080  # inline comment
JWT_SECRET="quoted # not a comment"
SINGLE='no $expansion here'
ESCAPED="a\\"b\\nc"
EMPTY=
"""
    assert parse(text) == {
        "HOST": "0.0.0.0",  # noqa: S104
        "PORT": "8080",
        "JWT_SECRET": "quoted # not a comment",
        "SINGLE": "no $expansion here",
        "ESCAPED": 'a"b\nc',
        "EMPTY": "",
    }


def test_it_parses_the_shipped_env_example():
    from tests.config.conftest import ROOT

    values = parse((ROOT / ".env.example").read_text())
    assert {"HOST", "PORT", "DEBUG", "JWT_SECRET", "LOG_LEVEL", "CORS_ALLOWED_ORIGINS"} <= set(
        values
    )


def test_it_names_the_line_of_a_malformed_entry():
    with pytest.raises(ConfigError, match=r"^\.env line 2: expected KEY=value"):
        parse("A=1\nnot a setting\n")


def test_it_never_overrides_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("SKIP_DOTENV")
    monkeypatch.setenv("DOTENV_TEST_KEPT", "from-environment")
    monkeypatch.delenv("DOTENV_TEST_NEW", raising=False)
    env_file = tmp_path / ".env"
    env_file.write_text("DOTENV_TEST_KEPT=from-file\nDOTENV_TEST_NEW=from-file\n")
    try:
        assert load(env_file) == ["DOTENV_TEST_NEW"]
        assert os.environ["DOTENV_TEST_KEPT"] == "from-environment"
        assert os.environ["DOTENV_TEST_NEW"] == "from-file"
    finally:
        os.environ.pop("DOTENV_TEST_NEW", None)


def test_it_skips_a_missing_file(tmp_path, monkeypatch):
    monkeypatch.delenv("SKIP_DOTENV")
    assert load(tmp_path / "absent.env") == []


def test_it_is_skipped_under_tests(tmp_path, monkeypatch):
    monkeypatch.delenv("DOTENV_TEST_NEW", raising=False)
    env_file = tmp_path / ".env"
    env_file.write_text("DOTENV_TEST_NEW=from-file\n")
    assert os.environ["SKIP_DOTENV"] == "1"  # set by tests/settings.py
    assert load(env_file) == []
    assert "DOTENV_TEST_NEW" not in os.environ
