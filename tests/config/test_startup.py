"""With DEBUG off the service refuses to start on a bad environment: one line, no traceback.

Each case runs a real entry point in a child process (``manage.py check --deploy``,
the production server ``python -m config.server``, the container entrypoint) with a clean
environment, as an operator would.
"""

from __future__ import annotations

import ctypes.util

import pytest

from config import checks
from config.env import ConfigError
from tests.config.conftest import PYTHON, STRONG_SECRET, run
from tests.support.server import clean_env

SERVER = [PYTHON, "-m", "config.server"]
CHECK_DEPLOY = [PYTHON, "manage.py", "check", "--deploy"]

WEAK_SECRETS = [
    pytest.param({}, "JWT_SECRET is not set (required when DEBUG is off)", id="missing"),
    pytest.param({"JWT_SECRET": "too-short-a-secret"}, "JWT_SECRET is too short", id="short"),
    pytest.param(
        {"JWT_SECRET": "change-me-to-a-long-random-string-at-least-32-characters"},
        "JWT_SECRET is an example value, not a secret",
        id="example",
    ),
]


def assert_one_line_refusal(result, message: str) -> None:
    assert result.returncode != 0, result
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Configuration error: {message}"), lines[0]


@pytest.mark.parametrize(("secret", "message"), WEAK_SECRETS)
def test_manage_py_refuses_a_weak_secret(tmp_path, secret, message):
    env = clean_env(DEBUG="false", FDBSTORE_PATH=str(tmp_path / "s.sqlite3"), **secret)
    assert_one_line_refusal(run(CHECK_DEPLOY, env), message)


@pytest.mark.parametrize(("secret", "message"), WEAK_SECRETS)
def test_the_server_refuses_a_weak_secret(tmp_path, secret, message):
    env = clean_env(FDBSTORE_PATH=str(tmp_path / "s.sqlite3"), PORT="1", **secret)
    assert_one_line_refusal(run(SERVER, env), message)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be a boolean (true/false), got 'maybe'"),
        ({"PORT": "eighty"}, "PORT must be an integer, got 'eighty'"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL must be one of debug, info"),
        ({"FDB_CLUSTER_FILE": "/nonexistent/fdb.cluster"}, "FDB_CLUSTER_FILE /nonexistent"),
        ({"CORS_ALLOWED_ORIGINS": "coditect.ai"}, "CORS_ALLOWED_ORIGINS entries must"),
        ({"WEB_CONCURRENCY": "0"}, "WEB_CONCURRENCY must be at least 1, got 0"),
        ({"SERVER_THREADS": "0"}, "SERVER_THREADS must be at least 1, got 0"),
        ({"SERVER_LOOP": "trio"}, "SERVER_LOOP must be one of asyncio, uvloop, got 'trio'"),
        ({"SERVER_PRELOAD": "maybe"}, "SERVER_PRELOAD must be a boolean (true/false), got"),
        ({"SERVER_WORKERS_LIFETIME": "30"}, "SERVER_WORKERS_LIFETIME must be 0 (never) or at"),
        ({"SERVER_REQUEST_TIMEOUT": "soon"}, "SERVER_REQUEST_TIMEOUT must be an integer"),
        ({"FDBSTORE_MMAP_BYTES": "-1"}, "FDBSTORE_MMAP_BYTES must be at least 0, got -1"),
        (
            {"FDBSTORE_BLOB_CACHE_BYTES": "-1"},
            "FDBSTORE_BLOB_CACHE_BYTES must be at least 0, got -1",
        ),
        ({"SERVER_MALLOC_KEEP_MIB": "lots"}, "SERVER_MALLOC_KEEP_MIB must be an integer"),
        ({"SERVER_MALLOC_KEEP_MIB": "4096"}, "SERVER_MALLOC_KEEP_MIB must be at most 1024"),
    ],
)
def test_the_server_refuses_an_invalid_value(tmp_path, bad, message):
    env = clean_env(JWT_SECRET=STRONG_SECRET, FDBSTORE_PATH=str(tmp_path / "s.sqlite3"), **bad)
    assert_one_line_refusal(run(SERVER, env), message)


def test_a_cluster_without_the_client_library_is_refused_naming_the_package(tmp_path, monkeypatch):
    # The check looks for libfdb_c as the binding will (beside it, then the
    # system's library path) without loading it; make both come up empty.
    cluster_file = tmp_path / "fdb.cluster"
    cluster_file.write_text("test:test@127.0.0.1:4500\n")
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    monkeypatch.setattr(checks.Path, "exists", lambda self: False)
    config = {"BACKEND": "foundationdb", "CLUSTER_FILE": str(cluster_file)}
    with pytest.raises(ConfigError) as info:
        checks.store(config)
    message = str(info.value)
    assert message.startswith("FDB_CLUSTER_FILE is set but the FoundationDB client library")
    assert "foundationdb-clients" in message
    assert "\n" not in message


def test_the_event_loop_is_uvloop_unless_asyncio_is_asked_for(monkeypatch):
    from config.server import event_loop

    monkeypatch.delenv("SERVER_LOOP", raising=False)
    assert event_loop() == "uvloop"  # a requirement
    monkeypatch.setenv("SERVER_LOOP", "asyncio")
    assert event_loop() == "asyncio"


def test_asking_for_uvloop_where_it_is_not_installed_is_refused(monkeypatch):
    from config import server

    real = server.importlib.util.find_spec
    monkeypatch.setattr(
        server.importlib.util, "find_spec", lambda name: None if name == "uvloop" else real(name)
    )
    monkeypatch.delenv("SERVER_LOOP", raising=False)
    assert server.event_loop() == "asyncio"  # nothing asked: the standard library's
    monkeypatch.setenv("SERVER_LOOP", "uvloop")
    with pytest.raises(ConfigError, match="SERVER_LOOP is uvloop but uvloop is not installed"):
        server.event_loop()


def test_the_entrypoint_refuses_a_non_numeric_worker_count(tmp_path):
    # The entrypoint (used by the container and scripts/serve.sh) checks it first.
    env = clean_env(JWT_SECRET=STRONG_SECRET, WEB_CONCURRENCY="four")
    result = run(["sh", "docker/entrypoint.sh", *SERVER], env)
    assert_one_line_refusal(result, "WEB_CONCURRENCY must be a whole number of workers")


def test_debug_on_starts_without_a_secret(tmp_path):
    env = clean_env(DEBUG="true", FDBSTORE_PATH=str(tmp_path / "s.sqlite3"))
    result = run([PYTHON, "manage.py", "check"], env)
    assert result.returncode == 0, result.stderr


def test_check_deploy_finds_no_security_error_with_a_strong_secret(tmp_path):
    env = clean_env(JWT_SECRET=STRONG_SECRET, FDBSTORE_PATH=str(tmp_path / "s.sqlite3"))
    result = run(CHECK_DEPLOY, env)
    output = result.stdout + result.stderr
    assert "Configuration error" not in output
    assert "Traceback" not in output
    # Expected warnings only (docs/OPERATIONS.md): W003 (no CSRF middleware: bearer
    # tokens, no cookies), W005/W021 (HSTS subdomains/preload are the operator's
    # call), W008 (TLS redirect belongs to the proxy).
    assert "(security.E" not in output, output
    assert "security.W004" not in output  # HSTS is on
    assert "security.W006" not in output  # nosniff
    assert "security.W002" not in output  # XFrameOptionsMiddleware installed
    assert "security.W019" not in output  # X-Frame-Options DENY
