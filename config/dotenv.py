"""Load a ``.env`` file into ``os.environ`` for development.

A deliberately small reader (no new dependency) for the subset ``.env.example``
uses: ``KEY=value`` lines, an optional ``export`` prefix, ``#`` comments, and
single- or double-quoted values. Variables already in the environment always
win, so a deployment's real environment is never overridden by a stray file.

Skipped when the file is absent (CI, containers) or when ``SKIP_DOTENV`` is set
to a true value (the test suite sets it, so a developer's ``.env`` never leaks
into tests).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from config.env import ConfigError

_LINE = re.compile(r"^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def parse(text: str, *, source: str = ".env") -> dict[str, str]:
    """Return the variables a ``.env`` text defines, in order."""
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _LINE.match(stripped)
        if match is None:
            raise ConfigError(f"{source} line {number}: expected KEY=value, got {stripped[:40]!r}")
        values[match.group(1)] = _value(match.group(2), source, number)
    return values


def _value(raw: str, source: str, number: int) -> str:
    if raw[:1] in {'"', "'"}:
        quote = raw[0]
        end = raw.find(quote, 1)
        while quote == '"' and end != -1 and raw[end - 1] == "\\":
            end = raw.find(quote, end + 1)
        if end == -1:
            raise ConfigError(f"{source} line {number}: unterminated {quote} quote")
        inner = raw[1:end]
        if quote == '"':
            inner = re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), inner)
        return inner
    # Unquoted: an inline comment starts at " #".
    return re.split(r"\s+#", raw, maxsplit=1)[0].strip()


def load(path: str | os.PathLike[str]) -> list[str]:
    """Set the file's variables that are not already set; return their names."""
    if os.environ.get("SKIP_DOTENV", "").strip().lower() in {"1", "true", "yes", "on"}:
        return []
    file = Path(path)
    if not file.is_file():
        return []
    loaded = []
    for name, value in parse(file.read_text(encoding="utf-8"), source=str(file)).items():
        if name not in os.environ:
            os.environ[name] = value
            loaded.append(name)
    return loaded
