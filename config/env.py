"""Typed readers for environment variables.

Every setting the project reads from the environment goes through one of these,
so a bad value fails at start-up with one clear ``ImproperlyConfigured`` line
instead of surfacing later as a confusing error (healthchecks' ``envbool``/``envint``).

They raise ``ConfigError``, an ``ImproperlyConfigured`` whose message is one
line naming the variable and what to fix; ``manage.py`` and
``config/server.py`` print that line alone and exit non-zero.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(ImproperlyConfigured):
    """A bad or missing environment value; ``str()`` is one line saying what to fix."""


def env_str(name: str, default: str = "") -> str:
    """Return the variable's value, or ``default`` when it is unset."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """Return a boolean; accepts 1/0, true/false, yes/no, on/off (any case)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """Return an integer within ``[minimum, maximum]`` when bounds are given."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{name} must be at most {maximum}, got {value}")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """Return a comma-separated list with blanks dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: Iterable[str]) -> str:
    """Return one of ``choices`` (compared case-insensitively, returned as listed)."""
    allowed = {choice.lower(): choice for choice in choices}
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return allowed[raw.strip().lower()]
    except KeyError:
        raise ConfigError(
            f"{name} must be one of {', '.join(allowed.values())}, got {raw!r}"
        ) from None
