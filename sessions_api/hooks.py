"""What higher apps do when sessions are deleted: a registry of callbacks.

``sessions_api`` is a low app: it cannot import the apps that keep data per
session (files, agents, ...). Those register here, from their
``AppConfig.ready``::

    on_session_deleted(callback)   # callback(tr, session), inside the deleting transaction
    after_sessions_deleted(finish) # finish(session_ids), after it commits

``on_session_deleted`` callbacks run in the transaction that deletes the
session record -- one delete (``session_delete``) or one of many in bulk
(``tenant_sessions_delete``, used by ``deleteuser`` and tenant deletion) -- so
they must stay small and retry-safe: they enqueue work (a few keys), not do
it. ``after_sessions_deleted`` callbacks do that work once the deletion has
committed, in bounded transactions of their own; ``None`` as ``session_ids``
means "whatever is queued". Work they do not finish (a crash, a deadline)
stays queued for ``purge_expired``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from fdbstore.transaction import Transaction

DeletedHook = Callable[[Transaction, Any], None]
FinishHook = Callable[[list[uuid.UUID] | None], None]

logger = logging.getLogger(__name__)

_deleted: list[DeletedHook] = []
_finish: list[FinishHook] = []


def on_session_deleted(callback: DeletedHook) -> DeletedHook:
    """Register ``callback(tr, session)``; registering the same one twice is a no-op."""
    if callback not in _deleted:
        _deleted.append(callback)
    return callback


def after_sessions_deleted(callback: FinishHook) -> FinishHook:
    """Register ``callback(session_ids_or_None)``, run after a deletion commits."""
    if callback not in _finish:
        _finish.append(callback)
    return callback


def session_deleted(tr: Transaction, session: Any) -> None:
    """Run every ``on_session_deleted`` callback (called by the sessions repository)."""
    for callback in list(_deleted):
        callback(tr, session)


def sessions_deleted_committed(session_ids: Iterable[uuid.UUID] | None = None) -> None:
    """Run every ``after_sessions_deleted`` callback; ``None``: finish all queued work.

    The deletion has committed: a callback that fails is logged, not raised (its
    work stays queued for ``purge_expired``), so the delete still answers 204."""
    ids = None if session_ids is None else list(session_ids)
    for callback in list(_finish):
        try:
            callback(ids)
        except Exception:
            logger.exception("cleanup after a session deletion failed; purge_expired retries it")


@contextmanager
def no_hooks() -> Iterator[None]:
    """Run the block with no callbacks registered (tests), restoring them after."""
    saved = list(_deleted), list(_finish)
    _deleted.clear()
    _finish.clear()
    try:
        yield
    finally:
        _deleted[:], _finish[:] = saved
