"""Sessions in fdbstore (key shapes: ``fdbstore/keys.py``)."""

from __future__ import annotations

from fdbstore.codec import RecordCodec
from fdbstore.indexes import Index
from fdbstore.keys import keyspace
from fdbstore.repository import Repository
from sessions_api.records import Session


class SessionRepository(Repository[Session]):
    """``sessions/{id}`` with the ``tenant_sessions/{tenant_id}/{id}`` index."""

    codec = RecordCodec(Session, version=1)
    indexes = [Index("by_tenant", lambda: keyspace().tenant_sessions, lambda s: (s.tenant_id,))]


sessions = SessionRepository(lambda: keyspace().sessions, lambda s: (s.id,))
