"""Fixtures for the runtime-configuration tests: a store, and every log line captured."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from config.logging import JsonFormatter
from tests.support.fixtures import store  # noqa: F401  (a fresh store per test)

ROOT = Path(__file__).resolve().parents[2]
STRONG_SECRET = "tests-config-jwt-secret-9f8e7d6c5b4a39281706f5e4d3c2b1a0"
# Loggers whose level the capture lowers to DEBUG, so even debug output is checked.
CAPTURED_LOGGERS = ("", "django", "django.request", "django.server", "django.security", "coditect")


@dataclass
class Captured:
    records: list[logging.LogRecord] = field(default_factory=list)

    def raw(self) -> str:
        """Every record's message, arguments and attributes, unformatted and unredacted."""
        return "\n".join(f"{r.getMessage()} {r.args!r} {vars(r)!r}" for r in self.records)

    def json(self) -> str:
        """Every record as the production (DEBUG off) handler would write it."""
        formatter = JsonFormatter()
        return "\n".join(formatter.format(r) for r in self.records)

    def named(self, name: str) -> list[logging.LogRecord]:
        return [r for r in self.records if r.name == name]


class _Collector(logging.Handler):
    def __init__(self, sink: Captured) -> None:
        super().__init__(logging.DEBUG)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.records.append(record)


@pytest.fixture
def captured_logs() -> Iterator[Captured]:
    """Every record any logger emits during the test, at DEBUG and above."""
    sink = Captured()
    handler = _Collector(sink)
    loggers = [logging.getLogger(name) for name in CAPTURED_LOGGERS]
    saved = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
    logging.getLogger().addHandler(handler)
    try:
        yield sink
    finally:
        logging.getLogger().removeHandler(handler)
        for lg, level in zip(loggers, saved, strict=True):
            lg.setLevel(level)


def run(args: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


PYTHON = sys.executable
