"""The hub's limits, read once from ``settings.AGENTS`` (environment: ``config/settings.py``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "LEASE_SECONDS": 60,
    "MAX_LEASE_EXPIRIES": 3,
    "MAX_MESSAGE_BYTES": 32 * 1024,
    "MAX_ARTIFACT_BYTES": 48 * 1024,
    "MAX_FILE_BYTES": 8 * 1024 * 1024,
    "TASK_RETENTION_DAYS": 7,
    "MAX_AGENTS_PER_TENANT": 100,
    "MAX_TASK_EVENTS": 1000,
    "MAX_CLAIM_TIMEOUT": 30,
    "BLOCKING_SEND_SECONDS": 30,
}


def agents_setting(name: str) -> Any:
    return {**DEFAULTS, **getattr(settings, "AGENTS", {})}[name]
