"""File parts: the ``raw`` bytes of messages and artifacts, stored as blobs.

A part carrying ``raw`` bytes is not kept inline in the task log (whose
values stay under FoundationDB's 100,000-byte limit): its bytes are written
with ``fdbstore.blobs`` and the logged part names the blob instead::

    {"raw": "<base64>", "filename": ..., "mediaType": ...}        as sent
    {"hubBlob": {"id": "<uuid>", "size": n}, "filename": ...}     as logged

``store`` writes the blobs (pending) before the task's transaction; ``publish``
makes them reachable in it and lists each under ``a2a_task_blobs/{task}/{blob}``;
``discard`` deletes them if that transaction fails. A task's deletion
``retire``\\ s its blobs in its own transaction (``purge_expired`` clears their
chunks; ``delete_now`` may do it at once). ``inline`` puts the bytes back
where the task is shown (GetTask, ListTasks, streams, claims): outside any
transaction, in a thread, never on the event loop.

The decoded bytes of one message or artifact's files are bounded by
``A2A_MAX_FILE_BYTES``; the rest of it by the message/artifact limits.
"""

from __future__ import annotations

import base64
import binascii
import logging
import uuid
from collections.abc import Iterable
from typing import Any

from fdb import tuple as fdbtuple

from agents.errors import InvalidParts, TooLarge
from fdbstore.blobs import (
    Blob,
    BlobMissing,
    blob_delete,
    blob_is_pending,
    blob_publish,
    blob_read,
    blob_retire,
    blob_write,
)
from fdbstore.connection import get_database
from fdbstore.keys import keyspace
from fdbstore.transaction import ReadOperations, Transaction

logger = logging.getLogger(__name__)

BLOB_REF = "hubBlob"
MISSING_NOTE = "(this file is no longer stored)"


def _parts(body: Any) -> list[Any]:
    parts = body.get("parts") if isinstance(body, dict) else None
    return parts if isinstance(parts, list) else []


def without_raw(body: Any) -> Any:
    """``body`` with each part's ``raw`` emptied: what the inline size limit measures."""
    if not _parts(body):
        return body
    parts = [{**p, "raw": ""} if isinstance(p, dict) and "raw" in p else p for p in _parts(body)]
    return {**body, "parts": parts}


def decoded(body: dict[str, Any]) -> list[bytes | None]:
    """Each part's raw bytes (None for a part without), from the checked JSON (base64)."""
    out: list[bytes | None] = []
    for part in _parts(body):
        raw = part.get("raw") if isinstance(part, dict) else None
        if raw is None:
            out.append(None)
            continue
        try:
            out.append(base64.b64decode(raw, validate=False))
        except (binascii.Error, ValueError, TypeError):
            raise InvalidParts("A file part's raw bytes are not base64.") from None
    return out


def check_size(body: dict[str, Any], *, limit: int, what: str) -> None:
    total = sum(len(data) for data in decoded(body) if data is not None)
    if total > limit:
        raise TooLarge(f"The {what}'s files are larger than {limit} bytes.")


def store(body: dict[str, Any], *, limit: int, what: str) -> tuple[dict[str, Any], list[Blob]]:
    """Write ``body``'s raw parts as pending blobs; return it with blob references.

    The size is checked first, so nothing is stored for a body over ``limit``."""
    datas = decoded(body)
    if not any(data is not None for data in datas):
        return body, []
    check_size(body, limit=limit, what=what)
    db, blobs, parts = get_database(), [], []
    try:
        for part, data in zip(_parts(body), datas, strict=True):
            if data is None:
                parts.append(part)
                continue
            blob = blob_write(db, [data], max_bytes=limit)
            blobs.append(blob)
            rest = {key: value for key, value in part.items() if key != "raw"}
            parts.append({**rest, BLOB_REF: {"id": str(blob.id), "size": blob.size}})
    except BaseException:
        discard(blobs)
        raise
    return {**body, "parts": parts}, blobs


def publish(tr: Transaction, task_id: uuid.UUID, blobs: Iterable[Blob]) -> None:
    """In the task's transaction: the blobs become permanent and listed under the task."""
    ks = keyspace()
    for blob in blobs:
        blob_publish(tr, blob.id)
        tr.set(ks.a2a_task_blob(task_id, blob.id), fdbtuple.pack((blob.size,)))


def discard(blobs: Iterable[Blob]) -> None:
    """Delete blobs whose task transaction failed -- only those still pending: one that
    a maybe-committed attempt published stays (left to ``purge_expired`` on error)."""
    db = get_database()

    def claim(tr: Transaction, blob_id: uuid.UUID) -> bool:
        if not blob_is_pending(tr, blob_id):
            return False
        blob_retire(tr, blob_id)  # a late publish now fails rather than revive it
        return True

    for blob in blobs:
        try:
            if db.transact(lambda tr, b=blob.id: claim(tr, b)):
                blob_delete(db, blob.id)
        except Exception:  # still pending: blobs_purge clears it after its ttl
            logger.warning("file part blob %s left for purge_expired", blob.id, exc_info=True)


def task_blob_ids(tr: ReadOperations, task_id: uuid.UUID) -> list[uuid.UUID]:
    space = keyspace().a2a_task_blobs
    scope = space.range((task_id,))
    return [space.unpack(row.key)[1] for row in tr.get_range(scope.start, scope.stop)]


def retire(tr: Transaction, task_id: uuid.UUID) -> list[uuid.UUID]:
    """In the transaction deleting a task: mark its blobs garbage and unlist them."""
    ids = task_blob_ids(tr, task_id)
    for blob_id in ids:
        blob_retire(tr, blob_id)
    scope = keyspace().a2a_task_blobs.range((task_id,))
    tr.clear_range(scope.start, scope.stop)
    return ids


def delete_now(blob_ids: Iterable[uuid.UUID]) -> None:
    """Clear retired blobs' chunks now (bounded batches); what fails waits for the purge."""
    db = get_database()
    for blob_id in blob_ids:
        try:
            blob_delete(db, blob_id)
        except Exception:
            logger.warning("retired blob %s left for purge_expired", blob_id, exc_info=True)


def inline(value: Any) -> Any:
    """``value`` (a task view, event or message JSON) with every blob reference replaced
    by the part's ``raw`` bytes again (base64), read from the store."""
    if isinstance(value, list):
        return [inline(item) for item in value]
    if not isinstance(value, dict):
        return value
    if isinstance(value.get(BLOB_REF), dict):
        return _inline_part(value)
    return {key: inline(item) for key, item in value.items()}


def _inline_part(part: dict[str, Any]) -> dict[str, Any]:
    ref = part[BLOB_REF]
    rest = {key: value for key, value in part.items() if key != BLOB_REF}
    try:
        data = b"".join(blob_read(get_database(), uuid.UUID(ref["id"]), int(ref["size"])))
    except (BlobMissing, KeyError, ValueError, TypeError):
        return {**rest, "text": MISSING_NOTE}
    return {**rest, "raw": base64.b64encode(data).decode("ascii")}
