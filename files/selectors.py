"""File reads, always scoped to one session of the principal's tenant."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass

from accounts.records import Principal
from fdbstore import blobs
from fdbstore.connection import get_database
from fdbstore.transaction import ReadOperations
from files.errors import FileNotFound, InvalidPath
from files.paths import compile_glob, join, parse_path
from files.records import ROOT_ID, Entry
from files.repositories import usage_get
from files.tree import dir_id_of, locate, resume_frames, walk
from sessions_api.selectors import parse_session_id, session_in_tenant

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
MAX_SCAN = 5000  # entries a filtered page may skip before it answers with a cursor
SMALL_FILE_BYTES = 1 << 20  # a file up to this size can be read with its entry (file_fetch)


def session_scope(tr: ReadOperations, *, principal: Principal, sid: uuid.UUID) -> None:
    """``SessionNotFound`` unless the session exists in the principal's tenant. A write
    that calls this reads the session record, so it conflicts with the session's delete."""
    session_in_tenant(tr, tenant_id=principal.tenant_id, session_id=sid)


def file_session(*, principal: Principal, session_id: str) -> uuid.UUID:
    """The session id of a URL, checked against the tenant (404 otherwise)."""
    sid = parse_session_id(session_id)
    get_database().transact(lambda tr: session_scope(tr.snapshot, principal=principal, sid=sid))
    return sid


@dataclass(frozen=True)
class Fetched:
    entry: Entry
    content: bytes | None  # the whole file, when it is small enough to come along


def file_fetch(
    *, principal: Principal, session_id: str, parts: tuple[str, ...], small: int
) -> Fetched:
    """A file's entry, and its content too if the file holds at most ``small`` bytes
    (and at most ``READ_CHUNKS`` chunks): both from one snapshot, in one transaction.
    The content comes from the handle's blob cache when it holds the entry's blob."""
    sid = parse_session_id(session_id)
    small = min(small, blobs.READ_CHUNKS * blobs.CHUNK_SIZE)
    db = get_database()

    def fetch(tr: ReadOperations) -> Fetched:
        session_scope(tr, principal=principal, sid=sid)
        entry = locate(tr, sid, parts).entry
        if entry is None:
            raise FileNotFound()
        if entry.is_dir or entry.size > small:
            return Fetched(entry, None)
        blob: uuid.UUID = entry.blob  # type: ignore[assignment]  # a file names its content
        content = db.blob_cache.get_or_read(blob, lambda: blobs.blob_get(tr, blob, entry.size))
        return Fetched(entry, content)

    return db.transact(lambda tr: fetch(tr.snapshot))


@dataclass(frozen=True)
class Listing:
    items: list[tuple[str, Entry]]  # (full path, entry)
    next_cursor: str | None


def encode_cursor(parts: tuple[str, ...]) -> str:
    return base64.urlsafe_b64encode(join(parts).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, ...]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        parts = parse_path(raw)
        if encode_cursor(parts) != cursor:
            raise ValueError(cursor)
        return parts
    except (ValueError, InvalidPath):
        raise InvalidPath(
            "This cursor is not valid.", details={"cursor": ["This cursor is not valid."]}
        ) from None


def file_list(
    *,
    principal: Principal,
    session_id: str,
    parts: tuple[str, ...],
    recursive: bool = False,
    limit: int = DEFAULT_PAGE_SIZE,
    cursor: str | None = None,
    glob: str | None = None,
) -> Listing:
    """One page of the entries under the directory ``parts``, in name order (depth
    first when ``recursive``); ``glob`` filters their paths relative to it."""
    sid = parse_session_id(session_id)
    after = decode_cursor(cursor) if cursor else None
    pattern = compile_glob(glob) if glob else None

    def page(tr: ReadOperations) -> Listing:
        session_scope(tr, principal=principal, sid=sid)
        base = dir_id_of(tr, sid, parts) if parts else ROOT_ID
        items: list[tuple[str, Entry]] = []
        frames = resume_frames(tr, sid, base, after)
        for scanned, (rel, entry) in enumerate(walk(tr, sid, frames, recursive=recursive), 1):
            if pattern is None or pattern.match(join(rel)):
                if len(items) == limit:
                    return Listing(items, encode_cursor(_relative(items[-1][0], parts)))
                items.append((join((*parts, *rel)), entry))
            if scanned >= MAX_SCAN:
                return Listing(items, encode_cursor(rel))
        return Listing(items, None)

    return get_database().transact(lambda tr: page(tr.snapshot))


def file_list_query(*, principal: Principal, session_id: str, query: dict) -> Listing:
    """``file_list`` for a validated ``FileListQuerySerializer``'s data: what the REST
    listing and the MCP ``files_list`` tool both ask for."""
    return file_list(
        principal=principal,
        session_id=session_id,
        parts=parse_path(query["path"], allow_root=True),
        recursive=query["recursive"],
        limit=query["limit"],
        cursor=query.get("cursor") or None,
        glob=query.get("glob") or None,
    )


def _relative(path: str, base: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(path.split("/"))[len(base) :]


def usage_of(*, principal: Principal) -> dict[str, int]:
    from django.conf import settings

    used, files = get_database().transact(lambda tr: usage_get(tr.snapshot, principal.tenant_id))
    return {
        "bytes": used,
        "files": files,
        "quotaBytes": settings.FILES_QUOTA_BYTES,
        "quotaFiles": settings.FILES_QUOTA_FILES,
    }
