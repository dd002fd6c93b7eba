"""Log formatting: JSON lines with DEBUG off, readable lines with it on, secrets redacted."""

from __future__ import annotations

import json
import logging
import logging.config
import sys

from config.logging import (
    REDACTED,
    JsonFormatter,
    ReadableFormatter,
    build_logging,
    redact,
    server_logging,
)

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk"


def record(msg="hello %s", args=("world",), **extra) -> logging.LogRecord:
    rec = logging.LogRecord("coditect.test", logging.INFO, __file__, 1, msg, args, None)
    rec.__dict__.update(extra)
    return rec


def test_json_formatter_writes_one_object_with_the_request_fields():
    rec = record(
        request_id="r1",
        method="GET",
        path="/api/v5/health",
        status=200,
        duration_ms=1.5,
        tenant_id=None,
        request=object(),  # an arbitrary extra is never dumped
    )
    line = JsonFormatter().format(rec)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "hello world"
    assert entry["level"] == "INFO"
    assert entry["logger"] == "coditect.test"
    assert {k: entry[k] for k in ("request_id", "method", "path", "status", "duration_ms")} == {
        "request_id": "r1",
        "method": "GET",
        "path": "/api/v5/health",
        "status": 200,
        "duration_ms": 1.5,
    }
    assert entry["tenant_id"] is None
    assert "request" not in entry
    assert entry["ts"].endswith("+00:00")


def test_json_formatter_keeps_a_traceback_inside_the_one_line():
    try:
        raise ValueError("bad")
    except ValueError:
        rec = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    line = JsonFormatter().format(rec)
    assert "\n" not in line
    assert "ValueError: bad" in json.loads(line)["error"]


def test_readable_formatter_is_one_plain_line():
    line = ReadableFormatter().format(record())
    assert line.endswith("INFO    coditect.test: hello world")


def test_redact_removes_tokens_passwords_and_the_secret(monkeypatch):
    text = (
        f"Authorization: Bearer {JWT} token={JWT} "
        '{"email": "a@b.c", "password": "hunter2-hunter2"} '
        "password=plain-text-pass&next=/ secret: jwt-signing-key-value-123456 "
        "GET /x?access_token=opaque-token-value&page=2 {'new_password': 'repr-pass'}"
    )
    out = redact(text, ["jwt-signing-key-value-123456"])
    leaks = (JWT, "hunter2-hunter2", "plain-text-pass", "jwt-signing-key-value-123456")
    for leaked in (*leaks, "opaque-token-value", "repr-pass"):
        assert leaked not in out
    assert "page=2" in out
    assert '"email": "a@b.c"' in out
    assert REDACTED in out


def test_formatters_redact_the_configured_secret(monkeypatch):
    monkeypatch.setenv("JWT_SECRET", "the-actual-signing-key-0123456789abcdef")
    rec = record("key is %s", ("the-actual-signing-key-0123456789abcdef",))
    for formatter in (JsonFormatter(), ReadableFormatter()):
        assert "the-actual-signing-key" not in formatter.format(rec)


def test_build_logging_picks_the_formatter_from_debug_and_quietens_django():
    prod = build_logging(debug=False, level="INFO")
    dev = build_logging(debug=True, level="DEBUG")
    assert prod["handlers"]["console"]["formatter"] == "json"
    assert dev["handlers"]["console"]["formatter"] == "readable"
    loggers = prod["loggers"]
    assert loggers["django.server"]["level"] == "ERROR"  # repeats query strings
    assert loggers["django.request"]["level"] == "ERROR"
    assert loggers["django.db.backends"]["level"] == "WARNING"
    assert loggers["django"]["handlers"] == []  # no mail_admins, no request dumps
    logging.config.dictConfig({**dev, "root": {"level": "WARNING", "handlers": []}})


def test_server_logging_turns_its_access_log_off():
    config = server_logging(debug=False, level="INFO")
    assert config["loggers"]["granian.access"]["handlers"] == []
    assert config["loggers"]["_granian"]["handlers"] == ["console"]
    assert config["handlers"]["console"]["formatter"] == "json"
