"""Session use cases: create and delete, each one transaction; and the pieces
other use cases compose into theirs (deleting a tenant's sessions, seeding)."""

from __future__ import annotations

import uuid

from accounts.records import Principal
from config.api import clock
from config.api.ids import uuid7
from fdbstore.connection import get_database
from fdbstore.transaction import Transaction
from sessions_api import hooks
from sessions_api.errors import SessionNotFound, SessionPermissionDenied
from sessions_api.records import Session
from sessions_api.repositories import sessions
from sessions_api.selectors import parse_session_id, session_in_tenant
from tenancy.permissions import Action, allows


def session_create(
    *, principal: Principal, name: str, workspace_path: str | None = None
) -> Session:
    """Create a session in the principal's tenant.

    The id (a UUIDv7) is chosen before the retry loop, so a retry after a
    maybe-committed error (1021, 1039) writes the same keys again: no duplicate. The
    transaction only writes -- the record and its index entry."""
    now = clock.now()
    session = Session(
        id=uuid7(now),
        tenant_id=principal.tenant_id,
        user_id=principal.user_id,
        name=name,
        workspace_path=workspace_path or None,
        created_at=now,
        updated_at=now,
    )
    get_database().transact(lambda tr: sessions.insert(tr, session))
    return session


def session_delete(*, principal: Principal, session_id: str) -> None:
    """Delete a session of the principal's tenant: check and delete in one transaction.
    Another member's session needs a role allowing it (admin+: ``tenancy.permissions``).

    If an attempt found the session and the transaction is then retried
    (1021 or 1039, maybe committed: the delete may have landed), a session that
    is gone counts as deleted rather than 404."""
    sid = parse_session_id(session_id)
    seen = False

    def delete(tr: Transaction) -> None:
        nonlocal seen
        try:
            session = session_in_tenant(tr, tenant_id=principal.tenant_id, session_id=sid)
        except SessionNotFound:
            if seen:
                return
            raise
        if session.user_id != principal.user_id and not allows(
            principal.role, Action.DELETE_OTHERS_SESSIONS
        ):
            raise SessionPermissionDenied()
        seen = True
        sessions.delete(tr, session)

    get_database().transact(delete)
    hooks.sessions_deleted_committed([sid])


def tenant_sessions_delete(
    tr: Transaction, *, tenant_id: uuid.UUID, limit: int
) -> tuple[int, bool]:
    """Delete up to ``limit`` of the tenant's sessions (record and index entry of each);
    return (sessions deleted, whether more remain). One range read, one batched read.

    Each deletion runs the ``on_session_deleted`` hooks in ``tr``; the caller runs
    ``hooks.sessions_deleted_committed()`` once its transactions have committed."""
    return sessions.delete_by_index(tr, "by_tenant", (tenant_id,), limit=limit)


def session_seed(tr: Transaction, *, session: Session) -> bool:
    """Insert ``session`` unless a session with its id exists; True when it was written.

    For fixed demo data (``seed_demo``): the id is chosen by the caller, so
    running the seed again, or retrying it, writes nothing twice."""
    if sessions.get(tr, session.id) is not None:
        return False
    sessions.insert(tr, session)
    return True
