"""Start-up validation: each refusal is one line that says what to fix."""

from __future__ import annotations

import pytest

from config import checks
from config.env import ConfigError
from tests.config.conftest import STRONG_SECRET


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        (None, "JWT_SECRET is not set (required when DEBUG is off); generate one with"),
        ("   ", "JWT_SECRET is not set"),
        ("short-secret", "JWT_SECRET is too short (12 characters, need at least 32)"),
        (
            "change-me-to-a-long-random-string-at-least-32-characters",
            "JWT_SECRET is an example value, not a secret",
        ),
        ("your-secret-key-change-in-production", "JWT_SECRET is an example value"),
        ("dev-secret", "JWT_SECRET is an example value"),
    ],
)
def test_it_refuses_a_weak_jwt_secret_with_debug_off(monkeypatch, secret, message):
    if secret is None:
        monkeypatch.delenv("JWT_SECRET", raising=False)
    else:
        monkeypatch.setenv("JWT_SECRET", secret)
    with pytest.raises(ConfigError) as info:
        checks.jwt_secret(debug=False)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)
    assert "secrets.token_urlsafe" in str(info.value)


def test_it_accepts_a_strong_secret(monkeypatch):
    monkeypatch.setenv("JWT_SECRET", STRONG_SECRET)
    assert checks.jwt_secret(debug=False) == STRONG_SECRET


def test_debug_falls_back_to_a_dev_secret(monkeypatch):
    monkeypatch.delenv("JWT_SECRET", raising=False)
    assert checks.jwt_secret(debug=True) == checks.DEV_JWT_SECRET
    monkeypatch.setenv("JWT_SECRET", "dev-secret")
    assert checks.jwt_secret(debug=True) == "dev-secret"


def test_the_dev_secret_is_refused_without_debug(monkeypatch):
    monkeypatch.setenv("JWT_SECRET", checks.DEV_JWT_SECRET)
    with pytest.raises(ConfigError, match="example value"):
        checks.jwt_secret(debug=False)


@pytest.mark.parametrize(
    ("env", "level"),
    [
        ({}, "INFO"),
        ({"LOG_LEVEL": "debug"}, "DEBUG"),
        ({"LOG_LEVEL": "Warning"}, "WARNING"),
        ({"RUST_LOG": "warn"}, "WARNING"),
        ({"RUST_LOG": "trace"}, "DEBUG"),
        ({"LOG_LEVEL": "error", "RUST_LOG": "debug"}, "ERROR"),  # LOG_LEVEL wins
    ],
)
def test_log_level_reads_log_level_then_rust_log(monkeypatch, env, level):
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    monkeypatch.delenv("RUST_LOG", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert checks.log_level() == level


def test_log_level_refuses_rust_log_directives(monkeypatch):
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    monkeypatch.setenv("RUST_LOG", "api_server=debug,actix_web=info")
    with pytest.raises(ConfigError, match="per-module RUST_LOG directives are not supported"):
        checks.log_level()


def test_server_address(monkeypatch):
    monkeypatch.delenv("HOST", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    assert checks.server_address() == ("0.0.0.0", 8080)  # noqa: S104
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.setenv("PORT", "9000")
    assert checks.server_address() == ("127.0.0.1", 9000)
    monkeypatch.setenv("PORT", "http")
    with pytest.raises(ConfigError, match="PORT must be an integer, got 'http'"):
        checks.server_address()
    monkeypatch.setenv("PORT", "80")
    monkeypatch.setenv("HOST", "0.0.0.0 8080")
    with pytest.raises(ConfigError, match=r"^HOST must be"):
        checks.server_address()


def test_cors_origins_must_be_scheme_and_host(monkeypatch):
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", "http://localhost:5173, https://coditect.ai")
    assert checks.cors_allowed_origins() == ["http://localhost:5173", "https://coditect.ai"]
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", "https://coditect.ai/")
    with pytest.raises(ConfigError, match="no path or trailing slash"):
        checks.cors_allowed_origins()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", None),
        ("X-Forwarded-Proto", ("HTTP_X_FORWARDED_PROTO", "https")),
        ("X-Forwarded-Proto=https", ("HTTP_X_FORWARDED_PROTO", "https")),
        ("X-Forwarded-Ssl: on", ("HTTP_X_FORWARDED_SSL", "on")),
    ],
)
def test_proxy_ssl_header_is_parsed(monkeypatch, raw, expected):
    monkeypatch.setenv("SECURE_PROXY_SSL_HEADER", raw)
    assert checks.proxy_ssl_header() == expected


def test_proxy_ssl_header_refuses_garbage(monkeypatch):
    monkeypatch.setenv("SECURE_PROXY_SSL_HEADER", "HTTP X FORWARDED")
    with pytest.raises(ConfigError, match="SECURE_PROXY_SSL_HEADER must be a header name"):
        checks.proxy_ssl_header()


def _store(**overrides):
    return {"BACKEND": "embedded", "PATH": "unused.sqlite3", "SYNCHRONOUS": "FULL", **overrides}


def test_store_refuses_an_unknown_backend():
    with pytest.raises(ConfigError, match="FDBSTORE_BACKEND must be one of"):
        checks.store(_store(BACKEND="redis"))


def test_store_refuses_a_missing_cluster_file(tmp_path):
    missing = tmp_path / "fdb.cluster"
    with pytest.raises(ConfigError, match=f"FDB_CLUSTER_FILE {missing} does not exist"):
        checks.store(_store(BACKEND="foundationdb", CLUSTER_FILE=str(missing)))
    with pytest.raises(ConfigError, match="is not a file"):
        checks.store(_store(BACKEND="foundationdb", CLUSTER_FILE=str(tmp_path)))


def test_store_refuses_an_unreadable_cluster_file(tmp_path, monkeypatch):
    cluster = tmp_path / "fdb.cluster"
    cluster.write_text("docker:docker@127.0.0.1:4500\n")
    monkeypatch.setattr(checks, "_check_fdb_client", lambda: None)  # as if installed
    checks.store(_store(BACKEND="foundationdb", CLUSTER_FILE=str(cluster)))  # readable: fine
    # Tests may run as root, who can read anything: ask os.access what a normal user gets.
    monkeypatch.setattr(checks.os, "access", lambda path, mode: False)
    with pytest.raises(ConfigError, match="is not readable by this user"):
        checks.store(_store(BACKEND="foundationdb", CLUSTER_FILE=str(cluster)))


def test_store_refuses_an_embedded_path_it_cannot_create(tmp_path):
    a_file = tmp_path / "file"
    a_file.write_text("")
    with pytest.raises(ConfigError, match="is not writable; set FDBSTORE_PATH"):
        checks.store(_store(PATH=str(a_file / "sub" / "store.sqlite3")))
    checks.store(_store(PATH=str(tmp_path / "new" / "dir" / "store.sqlite3")))  # creatable


def test_fail_fast_prints_one_line_and_exits_1(capsys):
    with pytest.raises(SystemExit) as info, checks.fail_fast():
        raise ConfigError("PORT must be an integer, got 'x'")
    assert info.value.code == 1
    assert capsys.readouterr().err == "Configuration error: PORT must be an integer, got 'x'\n"
