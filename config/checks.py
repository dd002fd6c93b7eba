"""Start-up validation: the environment is checked before the service serves anything.

``config/settings.py`` calls these while it reads the environment, so every
entry point (the server, ``manage.py runserver``/``check``, tests) refuses a bad
configuration the same way: a ``ConfigError`` whose message is one line naming
the variable and what to do. ``fail_fast()`` turns that into that one line on
stderr and exit status 1, with no traceback (used by ``manage.py`` and
``config/server.py``).
"""

from __future__ import annotations

import ctypes.util
import importlib.util
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from config.env import ConfigError, env_int, env_list, env_str

MIN_SECRET_LENGTH = 32  # HS256 wants a key of at least 256 bits (RFC 7518, 3.2)
# Used only with DEBUG on and JWT_SECRET unset, so a dev server's tokens survive restarts.
DEV_JWT_SECRET = "insecure-dev-only-jwt-secret-never-use-in-production"  # noqa: S105
# Values published in .env.example, the integration guide and older defaults.
EXAMPLE_SECRETS = frozenset(
    {
        DEV_JWT_SECRET,
        "change-me-to-a-long-random-string-at-least-32-characters",
        "your-secret-key-change-in-production",
        "dev-secret",
        "dev-secret-change-me-dev-secret-change-me",
    }
)
GENERATE_HINT = "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
DEFAULT_CLUSTER_FILE = "/etc/foundationdb/fdb.cluster"
LOG_LEVELS = {
    "trace": "DEBUG",  # RUST_LOG's levels map onto the nearest Python level
    "debug": "DEBUG",
    "info": "INFO",
    "warn": "WARNING",
    "warning": "WARNING",
    "error": "ERROR",
    "critical": "CRITICAL",
    "off": "CRITICAL",
}
_ORIGIN = re.compile(r"^https?://[^/\s?#]+$")
_HEADER = re.compile(r"^[A-Za-z0-9-]+$")


def jwt_secret(*, debug: bool) -> str:
    """Return ``JWT_SECRET``; with DEBUG off it must be set, long and not an example."""
    secret = os.environ.get("JWT_SECRET", "")
    if debug:
        return secret or DEV_JWT_SECRET
    if not secret.strip():
        raise ConfigError(f"JWT_SECRET is not set (required when DEBUG is off); {GENERATE_HINT}")
    if secret in EXAMPLE_SECRETS or "change-me" in secret or "change-in-production" in secret:
        raise ConfigError(f"JWT_SECRET is an example value, not a secret; {GENERATE_HINT}")
    if len(secret) < MIN_SECRET_LENGTH:
        raise ConfigError(
            f"JWT_SECRET is too short ({len(secret)} characters, need at least "
            f"{MIN_SECRET_LENGTH}); {GENERATE_HINT}"
        )
    return secret


def log_level() -> str:
    """Return the logging level from ``LOG_LEVEL``, or from ``RUST_LOG`` (the guide's name)."""
    for name in ("LOG_LEVEL", "RUST_LOG"):
        raw = os.environ.get(name, "").strip()
        if not raw:
            continue
        level = LOG_LEVELS.get(raw.lower())
        if level is None:
            raise ConfigError(
                f"{name} must be one of debug, info, warning, error, critical, got {raw!r}"
                + (" (per-module RUST_LOG directives are not supported)" if "=" in raw else "")
            )
        return level
    return "INFO"


def server_address() -> tuple[str, int]:
    """Return ``(HOST, PORT)`` for the server to bind."""
    host = env_str("HOST", "0.0.0.0").strip()  # noqa: S104 -- a container listens on all interfaces
    if not host or any(ch.isspace() for ch in host) or "/" in host:
        raise ConfigError(f"HOST must be an address or host name such as 0.0.0.0, got {host!r}")
    return host, env_int("PORT", 8080, minimum=1, maximum=65535)


def cors_allowed_origins() -> list[str]:
    """Return ``CORS_ALLOWED_ORIGINS``: comma-separated ``scheme://host[:port]`` values."""
    origins = env_list("CORS_ALLOWED_ORIGINS")
    for origin in origins:
        if not _ORIGIN.match(origin):
            raise ConfigError(
                "CORS_ALLOWED_ORIGINS entries must look like https://app.example.com "
                f"(scheme and host, no path or trailing slash), got {origin!r}"
            )
    return origins


def proxy_ssl_header() -> tuple[str, str] | None:
    """Return Django's ``SECURE_PROXY_SSL_HEADER`` from ``SECURE_PROXY_SSL_HEADER``.

    The variable names the header a TLS-terminating proxy sets, optionally with
    the value meaning HTTPS: ``X-Forwarded-Proto`` or ``X-Forwarded-Proto=https``.
    """
    raw = env_str("SECURE_PROXY_SSL_HEADER").strip()
    if not raw:
        return None
    header, _, value = raw.replace(":", "=", 1).partition("=")
    header, value = header.strip(), value.strip() or "https"
    if not _HEADER.match(header):
        raise ConfigError(
            f"SECURE_PROXY_SSL_HEADER must be a header name such as X-Forwarded-Proto, got {raw!r}"
        )
    return "HTTP_" + header.upper().replace("-", "_"), value


def store(config: dict[str, Any]) -> None:
    """Refuse a store the process could not open: unknown backend, unreadable files."""
    backend = config.get("BACKEND")
    if backend not in {"embedded", "memory", "foundationdb"}:
        raise ConfigError(
            f"FDBSTORE_BACKEND must be one of embedded, memory, foundationdb, got {backend!r}"
        )
    if str(config.get("SYNCHRONOUS", "FULL")).upper() not in {"FULL", "NORMAL", "EXTRA"}:
        raise ConfigError(
            "FDBSTORE_SYNCHRONOUS must be one of FULL, NORMAL, EXTRA, "
            f"got {config.get('SYNCHRONOUS')!r}"
        )
    if backend == "foundationdb":
        _check_cluster_file(config.get("CLUSTER_FILE") or DEFAULT_CLUSTER_FILE)
        _check_fdb_client()
    elif backend == "embedded":
        _check_store_path(Path(config["PATH"]))


def _check_cluster_file(path: str) -> None:
    hint = "point FDB_CLUSTER_FILE at your cluster's fdb.cluster file"
    file = Path(path)
    if not file.is_file():
        raise ConfigError(f"FDB_CLUSTER_FILE {path} does not exist or is not a file; {hint}")
    if not os.access(file, os.R_OK):
        raise ConfigError(f"FDB_CLUSTER_FILE {path} is not readable by this user; {hint}")


def _check_fdb_client() -> None:
    """Find the binding and its C library the way the binding will, without loading
    either: the store is opened in each worker after the fork, never in the master."""
    from fdbstore.backends.foundationdb import INSTALL_HINT

    spec = importlib.util.find_spec("fdb")
    if spec is None or spec.origin is None:
        raise ConfigError(f"the foundationdb Python package is missing: {INSTALL_HINT}")
    beside_binding = Path(spec.origin).parent / "libfdb_c.so"
    if not beside_binding.exists() and ctypes.util.find_library("fdb_c") is None:
        raise ConfigError(
            f"FDB_CLUSTER_FILE is set but the FoundationDB client library (libfdb_c) "
            f"is not installed: {INSTALL_HINT}"
        )


def _check_store_path(path: Path) -> None:
    hint = "set FDBSTORE_PATH to a file in a directory this user can write"
    if path.exists():
        if not path.is_file() or not os.access(path, os.R_OK | os.W_OK):
            raise ConfigError(f"FDBSTORE_PATH {path} is not a readable, writable file; {hint}")
        return
    directory = path.parent
    while not directory.exists():  # the store creates missing directories on open
        directory = directory.parent
    if not directory.is_dir() or not os.access(directory, os.W_OK | os.X_OK):
        raise ConfigError(f"FDBSTORE_PATH {path}: {directory} is not writable; {hint}")


@contextmanager
def fail_fast() -> Iterator[None]:
    """Print a ``ConfigError`` as one line on stderr and exit with status 1."""
    try:
        yield
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr, flush=True)
        raise SystemExit(1) from None


def load_settings() -> Any:
    """Import the settings module now (validating the environment) and return it."""
    from django.conf import settings

    settings.INSTALLED_APPS  # noqa: B018 -- evaluating a setting imports the module
    return settings
