"""Session records."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Session:
    """A workspace session, stored at ``sessions/{id}`` (schema version 1).

    ``id`` is a UUIDv7; ``tenant_id`` is the tenant of the token that
    created it, and only that tenant's tokens can see it."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    name: str
    workspace_path: str | None
    created_at: datetime
    updated_at: datetime
