"""Logging: one JSON object per line with DEBUG off, a readable line with it on.

Both formatters pass their whole output through ``redact()``, a last line of
defence: bearer tokens, anything shaped like a JWT, password-like fields and
the value of ``JWT_SECRET`` are replaced before a line is written. The first
line of defence is what is logged at all: the request log carries the path
without its query string and never a header or a body, and Django's loggers
that could repeat a request (``django.server``) or a query are quietened.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

REQUEST_FIELDS = ("request_id", "method", "path", "status", "duration_ms", "tenant_id")
SECRET_ENV = ("JWT_SECRET",)
_JWT = re.compile(r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}+\.[A-Za-z0-9_-]{5,}+\.[A-Za-z0-9_-]*+")
_BEARER = re.compile(r"(?i)\b(bearer)(\s+)[A-Za-z0-9._~+/=-]{8,}")
# Linear time on any input (every request's log line passes through these): a
# token or field name starts only where a word starts, and is then taken whole
# (possessive ``*+``), the keyword found by a lookahead that stays inside the word.
# Backtracking versions took 4 s on a 4 kB path, 20 s on 10 kB.
_FIELD = re.compile(
    r"""(?ix)
    (\\?["']?(?:(?<![\w-])(?=[\w-]*?(?:password|passwd|secret|token|authorization|api[_-]?key))[\w-]*+
        |\b(?:access|refresh)\b)\\?["']?\s*[:=]\s*)
    ("(?:\\.|[^"\\])*"|'[^']*'|[^\s,&;}\]]+)
    """
)
REDACTED = "[redacted]"
# Every match of the patterns above contains one of these (lowercased) or "eyJ".
# Most lines contain none, and two substring checks cost ~2 µs where the three
# regexes cost ~230 (22% of a GET worker's samples). Non-ASCII text always takes
# the regexes: their case-insensitive matching folds a few non-ASCII characters
# (the Kelvin sign, the long s) onto ASCII letters, which lower() does not.
_TRIGGERS = ("bearer", "passw", "secret", "token", "authorization", "key", "access", "refresh")
# The same words as one pattern: a single scan of the line in C, not one per word.
_TRIGGER = re.compile("|".join(_TRIGGERS))
# One encoder for every line (json.dumps with an argument builds a new one per call).
_ENCODER = json.JSONEncoder(default=str)


def redact(text: str, secrets: Sequence[str] = ()) -> str:
    """Return ``text`` with tokens, password fields and the given secrets replaced."""
    for secret in secrets:
        if len(secret) >= 8:
            text = text.replace(secret, REDACTED)
    if text.isascii() and "eyJ" not in text and _TRIGGER.search(text.lower()) is None:
        return text
    text = _JWT.sub(REDACTED, text)
    text = _BEARER.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    return _FIELD.sub(lambda m: f"{m.group(1)}{_quoted(m.group(2))}", text)


def _quoted(value: str) -> str:
    return f'"{REDACTED}"' if value[:1] in {'"', "'"} else REDACTED


class _RedactingFormatter(logging.Formatter):
    def __init__(self, *args: Any, secret_env: Sequence[str] = SECRET_ENV, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.secrets = [os.environ[name] for name in secret_env if os.environ.get(name)]


class JsonFormatter(_RedactingFormatter):
    """One JSON object per record: time, level, logger, message, request fields, error."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        # Only named fields: an ``extra`` such as Django's ``request`` object is never dumped.
        attributes = record.__dict__
        for field in REQUEST_FIELDS:
            if field in attributes:
                entry[field] = attributes[field]
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return redact(_ENCODER.encode(entry), self.secrets)


class ReadableFormatter(_RedactingFormatter):
    """``time LEVEL logger: message`` for a terminal, with the traceback if any."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)-7s %(name)s: %(message)s")
        super().__init__(*args, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.secrets)


def _formatters() -> dict[str, Any]:
    return {
        "json": {"()": "config.logging.JsonFormatter"},
        "readable": {"()": "config.logging.ReadableFormatter"},
    }


def build_logging(*, debug: bool, level: str) -> dict[str, Any]:
    """Return Django's ``LOGGING`` dict: everything to stderr through one formatter."""
    quiet = {"handlers": [], "propagate": True}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": _formatters(),
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "readable" if debug else "json",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Replace Django's default handlers (console filter, mail_admins) with the root's.
            "django": {**quiet, "level": level},
            # The request log line already records 4xx; 5xx keep their traceback.
            "django.request": {**quiet, "level": "ERROR"},
            # runserver's access line repeats the query string, which may hold a token.
            "django.server": {**quiet, "level": "ERROR"},
            # Debug-level template and query logging can include context and parameters.
            "django.template": {**quiet, "level": "WARNING"},
            "django.db.backends": {**quiet, "level": "WARNING"},
        },
    }


def server_logging(*, debug: bool, level: str) -> dict[str, Any]:
    """Return granian's ``log_dictconfig``: its own messages in the same format.

    Its access log stays off: ``config.middleware`` (and ``config.edge`` for the
    answers Django does not make) logs each request; granian's line would add
    the query string, which may hold a token."""
    handler = {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stderr",
        "formatter": "readable" if debug else "json",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": _formatters(),
        "handlers": {"console": handler},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "_granian": {"handlers": ["console"], "level": level, "propagate": False},
            "granian.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
        },
    }
