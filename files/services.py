"""File use cases that write: put, delete, move, copy.

A put streams the body into a new blob (``fdbstore/blobs.py``: many short
transactions), then one small transaction checks the preconditions and the
quota, points the entry at the blob and retires the old one; the old blob's
chunks are cleared after that commit. A reader therefore sees the old content
or the new, never a mix. Ids are chosen before the retry loop; a transaction
retried after a maybe-committed error (1021) recognises its own write.
"""

from __future__ import annotations

import logging
import mimetypes
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from accounts.records import Principal
from config.api import clock
from fdbstore.blobs import (
    Blob,
    BlobMissing,
    BlobTooLarge,
    blob_delete,
    blob_publish,
    blob_read,
    blob_retire,
    blob_write,
)
from fdbstore.connection import get_database
from fdbstore.transaction import Transaction
from files import trash
from files.conditions import Preconditions
from files.errors import (
    AlreadyExists,
    Conflict,
    DirectoryNotEmpty,
    FileNotFound,
    FileTooLarge,
    InvalidPath,
    IsADirectory,
    QuotaExceeded,
)
from files.records import FILE, Entry
from files.repositories import dir_is_empty, entry_clear, entry_set, usage_add, usage_get
from files.selectors import file_session, session_scope
from files.tree import locate, make_dirs

logger = logging.getLogger(__name__)


def _now_ms() -> int:
    return int(clock.now().timestamp() * 1000)


def content_type_for(name: str, given: str | None) -> str:
    if given:
        return given
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


@dataclass(frozen=True)
class Written:
    entry: Entry
    created: bool


def put_precheck(
    *, principal: Principal, sid: uuid.UUID, parts: tuple[str, ...], length: int, pre: Preconditions
) -> None:
    """Refuse before reading a byte of the body what the publish would refuse anyway:
    too large, over quota, a failed precondition, a directory in the way. Snapshot
    reads only; the publish transaction checks again and decides."""
    if length > settings.FILES_MAX_BYTES:
        raise FileTooLarge(details={"maxBytes": settings.FILES_MAX_BYTES})

    def check(tr: Transaction) -> None:
        session_scope(tr.snapshot, principal=principal, sid=sid)
        try:
            current = locate(tr.snapshot, sid, parts).entry
        except FileNotFound:
            current = None
        if current is not None and current.is_dir:
            raise IsADirectory()
        pre.check(current)
        used, files = usage_get(tr.snapshot, principal.tenant_id)
        freed = current.size if current else 0
        if used + length - freed > settings.FILES_QUOTA_BYTES or (
            current is None and files + 1 > settings.FILES_QUOTA_FILES
        ):
            raise QuotaExceeded(details=_quota_details())

    get_database().transact(check)


def _quota_details() -> dict[str, int]:
    return {"quotaBytes": settings.FILES_QUOTA_BYTES, "quotaFiles": settings.FILES_QUOTA_FILES}


def file_put(
    *,
    principal: Principal,
    session_id: str,
    parts: tuple[str, ...],
    body: Iterable[bytes],
    length: int,
    content_type: str | None = None,
    pre: Preconditions | None = None,
) -> Written:
    """Write ``body`` (``length`` bytes) at ``parts``, creating parent directories;
    see the module docstring."""
    sid = file_session(principal=principal, session_id=session_id)
    pre = pre or Preconditions()
    put_precheck(principal=principal, sid=sid, parts=parts, length=length, pre=pre)
    try:
        blob = blob_write(get_database(), body, max_bytes=settings.FILES_MAX_BYTES)
    except BlobTooLarge:
        raise FileTooLarge(details={"maxBytes": settings.FILES_MAX_BYTES}) from None
    ctype = content_type_for(parts[-1], content_type)
    return _publish(principal, sid, parts, blob, ctype, pre=pre, overwrite=True)


def _publish(
    principal: Principal,
    sid: uuid.UUID,
    parts: tuple[str, ...],
    blob: Blob,
    content_type: str,
    *,
    pre: Preconditions,
    overwrite: bool,
) -> Written:
    file_id, now_ms = uuid.uuid4(), _now_ms()
    first: list[Written] = []
    old: list[uuid.UUID] = []

    def publish(tr: Transaction) -> Written:
        session_scope(tr, principal=principal, sid=sid)
        parent = make_dirs(tr, sid, parts[:-1], now_ms)
        current = locate(tr, sid, parts).entry
        if current is not None and current.blob == blob.id and first:
            return first[0]  # this transaction's earlier attempt committed (1021)
        if current is not None and current.is_dir:
            raise IsADirectory()
        if current is not None and not overwrite:
            raise AlreadyExists()
        pre.check(current)
        _charge(tr, principal.tenant_id, blob.size, current)
        entry = Entry(
            FILE,
            current.id if current else file_id,
            now_ms,
            blob=blob.id,
            size=blob.size,
            content_type=content_type,
        )
        entry_set(tr, sid, parent, parts[-1], entry)
        blob_publish(tr, blob.id)
        old[:] = []
        if current is not None and current.blob is not None:
            blob_retire(tr, current.blob)
            old.append(current.blob)
        first[:] = [Written(entry, created=current is None)]
        return first[0]

    try:
        written = get_database().transact(publish)
    except BaseException:
        _delete_quietly(blob.id)
        raise
    for blob_id in old:
        _delete_quietly(blob_id)
    return written


def _charge(tr: Transaction, tenant_id: uuid.UUID, size: int, current: Entry | None) -> None:
    """Check the quota and count the file. The counters are read with a conflict
    range, so concurrent publishes of one tenant serialise on them and cannot
    overshoot; the update itself is an atomic add."""
    used, files = usage_get(tr, tenant_id)
    delta = size - (current.size if current else 0)
    new_files = 0 if current else 1
    if (delta > 0 and used + delta > settings.FILES_QUOTA_BYTES) or (
        new_files and files + 1 > settings.FILES_QUOTA_FILES
    ):
        raise QuotaExceeded(details=_quota_details())
    usage_add(tr, tenant_id, nbytes=delta, files=new_files)


def _delete_quietly(blob_id: uuid.UUID) -> None:
    try:
        blob_delete(get_database(), blob_id)
    except Exception:  # retired: purge_expired finishes it
        logger.warning("blob %s left for purge_expired", blob_id, exc_info=True)


def file_delete(
    *,
    principal: Principal,
    session_id: str,
    parts: tuple[str, ...],
    recursive: bool = False,
    pre: Preconditions | None = None,
) -> None:
    """Delete a file, or a directory (``recursive`` unless empty) in one transaction that
    unlinks it; a directory's contents are then cleared in bounded batches."""
    sid = file_session(principal=principal, session_id=session_id)
    pre = pre or Preconditions()
    gone: list[Entry] = []

    def delete(tr: Transaction) -> None:
        session_scope(tr, principal=principal, sid=sid)
        found = locate(tr, sid, parts)
        entry = found.entry
        if entry is None:
            if gone:  # an earlier attempt committed (1021)
                return
            raise FileNotFound()
        pre.check(entry)  # type: ignore[union-attr]
        if entry.is_dir:
            if not dir_is_empty(tr, sid, entry.id):
                if not recursive:
                    raise DirectoryNotEmpty()
                trash.trash_add(tr, sid, entry.id, principal.tenant_id)
        else:
            blob_retire(tr, entry.blob)  # type: ignore[arg-type]
            usage_add(tr, principal.tenant_id, nbytes=-entry.size, files=-1)
        entry_clear(tr, sid, found.parent_id, found.name)
        gone[:] = [entry]

    get_database().transact(delete)
    entry = gone[0]
    if entry.is_dir:
        trash.trash_drain([sid])
    elif entry.blob is not None:
        _delete_quietly(entry.blob)


def file_move(
    *,
    principal: Principal,
    session_id: str,
    source: tuple[str, ...],
    target: tuple[str, ...],
    overwrite: bool,
) -> Entry:
    """Rename a file or a whole directory: one small transaction whatever it holds.

    Missing parents of ``target`` are created. With ``overwrite``, a file may
    replace a file; a directory is never replaced."""
    sid = file_session(principal=principal, session_id=session_id)
    if target[: len(source)] == source and target != source:
        raise InvalidPath(
            "Invalid path: a directory cannot move into itself.",
            details={"to": ["It lies inside 'from'."], "rule": "into_itself"},
        )
    now_ms = _now_ms()
    old: list[uuid.UUID] = []
    done: list[Entry] = []

    def move(tr: Transaction) -> Entry:
        session_scope(tr, principal=principal, sid=sid)
        src = locate(tr, sid, source)
        if src.entry is None:
            if done:
                return done[0]
            raise FileNotFound()
        if source == target:
            return src.entry
        parent = make_dirs(tr, sid, target[:-1], now_ms)
        existing = locate(tr, sid, target).entry
        old[:] = []
        if existing is not None:
            if not overwrite or existing.is_dir or src.entry.is_dir:
                raise AlreadyExists()
            blob_retire(tr, existing.blob)  # type: ignore[arg-type]
            usage_add(tr, principal.tenant_id, nbytes=-existing.size, files=-1)
            old.append(existing.blob)  # type: ignore[arg-type]
        entry_clear(tr, sid, src.parent_id, src.name)
        entry_set(tr, sid, parent, target[-1], src.entry)
        done[:] = [src.entry]
        return src.entry

    entry = get_database().transact(move)
    for blob_id in old:
        _delete_quietly(blob_id)
    return entry


def file_copy(
    *,
    principal: Principal,
    session_id: str,
    source: tuple[str, ...],
    target: tuple[str, ...],
    overwrite: bool,
) -> Written:
    """Copy a file (not a directory: 409 ``is_a_directory``) to ``target``: its content
    is streamed into a new blob, then published as a put is."""
    sid = file_session(principal=principal, session_id=session_id)
    db = get_database()
    for _attempt in range(3):
        found = db.transact(lambda tr: _source_entry(tr, principal, sid, source))
        try:
            blob = blob_write(db, blob_read(db, found.blob, found.size))  # type: ignore[arg-type]
        except BlobMissing:  # the source was rewritten meanwhile: copy the new one
            continue
        return _publish(
            principal,
            sid,
            target,
            blob,
            found.content_type,
            pre=Preconditions(),
            overwrite=overwrite,
        )
    raise Conflict("The source kept changing while it was copied; try again.")


def _source_entry(
    tr: Transaction, principal: Principal, sid: uuid.UUID, parts: tuple[str, ...]
) -> Entry:
    session_scope(tr, principal=principal, sid=sid)
    entry = locate(tr, sid, parts).entry
    if entry is None:
        raise FileNotFound()
    if entry.is_dir:
        raise IsADirectory("Only files can be copied; this path names a directory.")
    return entry
