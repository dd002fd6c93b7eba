"""Session reads, always scoped to one tenant."""

from __future__ import annotations

import uuid
from typing import Any

from fdbstore.connection import get_database
from fdbstore.cursors import InvalidCursor as StoreInvalidCursor
from fdbstore.cursors import decode_cursor
from fdbstore.repository import Page
from fdbstore.transaction import ReadOperations
from sessions_api.errors import InvalidCursor, SessionNotFound
from sessions_api.records import Session
from sessions_api.repositories import session_fields, sessions

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def parse_session_id(value: str) -> uuid.UUID:
    """The id in a URL; anything that is not a UUID is simply not found."""
    if len(value) > 45:  # the longest spelling uuid.UUID accepts: "urn:uuid:" + 36
        raise SessionNotFound()
    try:
        return uuid.UUID(value)
    except ValueError:
        raise SessionNotFound() from None


def session_in_tenant(
    tr: ReadOperations, *, tenant_id: uuid.UUID, session_id: uuid.UUID
) -> Session:
    """The session if it belongs to ``tenant_id``; ``SessionNotFound`` otherwise."""
    session = sessions.get(tr, session_id)
    if session is None or session.tenant_id != tenant_id:
        raise SessionNotFound()
    return session


def session_get(*, tenant_id: uuid.UUID, session_id: str) -> Session:
    sid = parse_session_id(session_id)
    return get_database().transact(
        lambda tr: session_in_tenant(tr, tenant_id=tenant_id, session_id=sid)
    )


def _check_cursor(cursor: str) -> None:
    """A sessions cursor is the last session id of a page, as ``decode_cursor`` reads it."""
    try:
        suffix = decode_cursor(cursor)
    except StoreInvalidCursor:
        suffix = ()
    if len(suffix) != 1 or not isinstance(suffix[0], uuid.UUID):
        raise InvalidCursor(details={"cursor": ["This cursor is not valid."]})


def session_list(
    *,
    tenant_id: uuid.UUID,
    limit: int = DEFAULT_PAGE_SIZE,
    cursor: str | None = None,
    fields: bool = False,
) -> Page[Any]:
    """One page of the tenant's sessions (``Session`` records), newest first: one range
    read, one batched get.

    ``fields=True`` gives each session as its stored fields (``session_fields``), for
    a response body built without the dataclass round trip."""
    if cursor is not None:
        _check_cursor(cursor)
    repository = session_fields if fields else sessions

    def page(tr: ReadOperations) -> Page[Any]:
        return repository.page_by_index(
            tr, "by_tenant", (tenant_id,), limit=limit, cursor=cursor, reverse=True
        )

    result = get_database().transact(page)
    if fields:
        tenant = str(tenant_id)
        return Page([s for s in result.items if s["tenant_id"] == tenant], result.next_cursor)
    return Page([s for s in result.items if s.tenant_id == tenant_id], result.next_cursor)
