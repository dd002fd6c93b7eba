"""Sessions in fdbstore (key shapes: ``fdbstore/keys.py``)."""

from __future__ import annotations

import json
from functools import cached_property
from typing import Any

from fdbstore.codec import VERSION_FIELD, RecordCodec
from fdbstore.indexes import Index
from fdbstore.keys import keyspace
from fdbstore.repository import Repository
from fdbstore.transaction import Transaction
from sessions_api import hooks
from sessions_api.records import Session


class SessionRepository(Repository[Session]):
    """``sessions/{id}`` with the ``tenant_sessions/{tenant_id}/{id}`` index."""

    codec = RecordCodec(Session, version=1)
    indexes = [Index("by_tenant", lambda: keyspace().tenant_sessions, lambda s: (s.tenant_id,))]

    def update(self, tr: Transaction, old: Session | None, new: Session | None) -> None:
        """As ``Repository.update``; deleting a session runs its deletion hooks
        (``sessions_api/hooks.py``) in the same transaction, whatever path deleted it."""
        super().update(tr, old, new)
        if old is not None and new is None:
            hooks.session_deleted(tr, old)


sessions = SessionRepository(lambda: keyspace().sessions, lambda s: (s.id,))


class StoredFieldsCodec(RecordCodec[Session]):
    """Decodes a session to its stored fields, a dict of JSON values (UUIDs as
    canonical strings, times as UTC ISO-8601 with ``Z``), skipping the dataclass:
    a list page turns them straight into response bodies (~20 µs a session instead
    of ~100). A record of an older schema version is upgraded the long way."""

    def decode(self, raw: bytes) -> dict[str, Any]:  # type: ignore[override]
        try:
            data = json.loads(raw)
            current = data.pop(VERSION_FIELD) == self.version and data.keys() == self.names
        except (ValueError, KeyError, TypeError, AttributeError):
            current = False
        if not current:  # an older schema, or damage: the codec upgrades or raises CodecError
            data = json.loads(self.encode(sessions.codec.decode(raw)))
            del data[VERSION_FIELD]
        return data

    @cached_property
    def names(self) -> set[str]:
        return {name for name, _ in self._fields}


class SessionFieldsRepository(Repository[dict[str, Any]]):
    """Read-only: ``sessions`` whose records are their stored fields (writes go through
    ``sessions``, which keeps the index)."""

    codec = StoredFieldsCodec(Session, version=1)  # type: ignore[assignment]
    indexes = SessionRepository.indexes  # type: ignore[assignment]


session_fields = SessionFieldsRepository(lambda: keyspace().sessions, lambda s: (s["id"],))
