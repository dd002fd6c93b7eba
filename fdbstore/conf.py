"""The store's settings: one dict, ``settings.FDBSTORE``, with checked defaults."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULTS: dict[str, Any] = {
    "BACKEND": "embedded",
    "PATH": "var/store.sqlite3",
    "CLUSTER_FILE": "",
    "API_VERSION": 730,
    "ROOT": "coditect",
    "RETRY_LIMIT": 20,
    "TIMEOUT_MS": 5000,
    "SYNCHRONOUS": "FULL",
    "MMAP_BYTES": 1 << 30,
    "BLOB_CACHE_BYTES": 16 << 20,
}
BACKENDS = {
    "memory": "fdbstore.backends.memory.MemoryDatabase",
    "embedded": "fdbstore.backends.embedded.EmbeddedDatabase",
    "foundationdb": "fdbstore.backends.foundationdb.FoundationDBDatabase",
}


def store_settings(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return ``settings.FDBSTORE`` merged over the defaults, validated."""
    config = {**DEFAULTS, **getattr(settings, "FDBSTORE", {}), **(overrides or {})}
    unknown = set(config) - set(DEFAULTS)
    if unknown:
        raise ImproperlyConfigured(f"FDBSTORE has unknown keys: {', '.join(sorted(unknown))}")
    if config["BACKEND"] not in BACKENDS:
        raise ImproperlyConfigured(
            f"FDBSTORE['BACKEND'] must be one of {', '.join(BACKENDS)}, got {config['BACKEND']!r}"
        )
    if not config["ROOT"]:
        raise ImproperlyConfigured("FDBSTORE['ROOT'] must not be empty")
    return config
