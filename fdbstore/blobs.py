"""Blobs: byte strings of any size, chunked below FoundationDB's value limit.

A blob is immutable and named by a fresh id (a new version): rewriting some
content means writing a new blob and pointing the record at it. Keys
(``fdbstore/keys.py``)::

    (root, "blob_chunks", blob_id, n)   chunk n: bytes [n * CHUNK_SIZE, (n + 1) * CHUNK_SIZE)
    (root, "blob_pending", blob_id)     tuple(expires_ms): not yet published (or retired)

The whole API, for files, avatars, A2A parts and whoever comes next::

    blob = blob_write(db, pieces, max_bytes=..., ttl=...)   # many transactions
    db.transact(lambda tr: (record_set(tr, ..., blob.id), blob_publish(tr, blob.id)))
    for piece in blob_read(db, blob.id, blob.size, start=0, stop=None): ...
    data = blob_get(tr, blob.id, blob.size)                 # a small one, in tr
    db.transact(lambda tr: (record_clear(tr, ...), blob_retire(tr, old_id)))
    blob_delete(db, old_id)                                  # bounded batches
    blobs_purge(db)                                          # from purge_expired

- ``blob_write`` reads an iterable of ``bytes`` pieces (any sizes; ``pieces_of``
  turns a file object into one) and writes at most ``BATCH_CHUNKS`` chunks per
  transaction, so a body of any size streams through a few MiB of memory. Its
  first transaction sets the pending marker. If the source raises, or the blob
  grows past ``max_bytes`` (``BlobTooLarge``), what was written is deleted and
  the error propagates. A process killed mid-write leaves a pending blob that
  ``blobs_purge`` clears once ``ttl`` has passed.
- ``blob_publish(tr, id)`` clears the marker: call it in the caller's own small
  transaction that makes the blob reachable, so publication is atomic.
- ``blob_read`` streams one version, ``READ_CHUNKS`` chunks per (snapshot)
  transaction, yielded as one piece. A blob never changes, so a streamed read never mixes versions;
  if the blob is deleted under the reader, the read raises ``BlobMissing``
  rather than yielding short or foreign bytes.
- ``blob_retire(tr, id)`` marks a published blob for deletion, in the caller's
  transaction that unlinks it; ``blob_delete(db, id)`` then clears its chunks
  in bounded transactions (a crash in between leaves it to ``blobs_purge``).

Chunk ``n`` holds exactly ``CHUNK_SIZE`` bytes except the last, so a byte range
maps to chunk numbers without reading anything else. Callers keep the size.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import BinaryIO

from fdb import tuple as fdbtuple

from fdbstore.database import Database
from fdbstore.errors import StoreError
from fdbstore.keys import keyspace
from fdbstore.purge import PurgeCount
from fdbstore.transaction import ReadOperations, Transaction

logger = logging.getLogger(__name__)

CHUNK_SIZE = 65_536  # bytes per chunk: below the 100,000-byte value limit
BATCH_CHUNKS = 16  # chunks written per transaction (1 MiB, far below 10 MB)
READ_CHUNKS = 16  # chunks read per transaction
DELETE_CHUNKS = 512  # chunks cleared per transaction
PENDING_TTL = timedelta(hours=1)  # how long an unpublished blob may take to publish


class BlobTooLarge(StoreError):
    """The source held more than ``max_bytes``; nothing of it is left stored."""


class BlobMissing(StoreError):
    """A chunk of the blob is gone: it was deleted while being read."""


@dataclass(frozen=True)
class Blob:
    id: uuid.UUID
    size: int


def _now_ms() -> int:
    from config.api import clock

    return int(clock.now().timestamp() * 1000)


def pieces_of(stream: BinaryIO, size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """Yield ``stream.read(size)`` until it returns nothing."""
    while piece := stream.read(size):
        yield piece


def _rechunk(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """Regroup pieces of any sizes into ``CHUNK_SIZE`` chunks (the last may be short)."""
    buffer = bytearray()
    for piece in pieces:
        buffer += piece
        while len(buffer) >= CHUNK_SIZE:
            yield bytes(buffer[:CHUNK_SIZE])
            del buffer[:CHUNK_SIZE]
    if buffer:
        yield bytes(buffer)


def blob_write(
    db: Database,
    pieces: Iterable[bytes],
    *,
    max_bytes: int | None = None,
    ttl: timedelta = PENDING_TTL,
    blob_id: uuid.UUID | None = None,
    on_batch: Callable[[Transaction, int], None] | None = None,
) -> Blob:
    """Write ``pieces`` as a new, pending blob; return its id and size.

    ``on_batch(tr, nbytes)`` runs in each write transaction (a quota check, say);
    what it raises aborts the write like a failing source."""
    ks = keyspace()
    blob_id = blob_id or uuid.uuid4()
    marker = fdbtuple.pack((_now_ms() + int(ttl.total_seconds() * 1000),))
    size = index = 0
    try:
        batch: list[bytes] = []
        chunks = _rechunk(pieces)
        while True:
            chunk = next(chunks, None)
            if chunk is not None:
                size += len(chunk)
                if max_bytes is not None and size > max_bytes:
                    raise BlobTooLarge(f"the content exceeds {max_bytes} bytes")
                batch.append(chunk)
            if batch and (chunk is None or len(batch) == BATCH_CHUNKS):
                first = index

                def write(tr: Transaction, first: int = first, batch: list[bytes] = batch) -> None:
                    if first == 0:
                        tr.set(ks.blob_marker(blob_id), marker)
                    for offset, data in enumerate(batch):
                        tr.set(ks.blob_chunk(blob_id, first + offset), data)
                    if on_batch is not None:
                        on_batch(tr, sum(len(data) for data in batch))

                db.transact(write)
                index, batch = index + len(batch), []
            if chunk is None:
                break
        if index == 0:  # empty: only the marker
            db.transact(lambda tr: tr.set(ks.blob_marker(blob_id), marker))
    except BaseException:
        if index:
            _clear_quietly(db, blob_id)
        raise
    return Blob(blob_id, size)


def _clear_quietly(db: Database, blob_id: uuid.UUID) -> None:
    try:
        blob_delete(db, blob_id)
    except Exception:  # the marker stays: blobs_purge finishes the job
        logger.warning("blob %s left for purge_expired", blob_id, exc_info=True)


def blob_publish(tr: Transaction, blob_id: uuid.UUID) -> None:
    """Make a written blob permanent: its pending marker goes.

    Raises ``BlobMissing`` if the blob was retired or claimed by a purge (the
    read makes a concurrent purge and this transaction conflict, so one of them
    wins). A blob already published (a retried transaction) passes."""
    key = keyspace().blob_marker(blob_id)
    raw = tr.get(key)
    if raw is not None and fdbtuple.unpack(raw) == (0,):
        raise BlobMissing(f"blob {blob_id} was retired before it was published")
    tr.clear(key)


def blob_retire(tr: Transaction, blob_id: uuid.UUID) -> None:
    """Mark a blob garbage now (``blobs_purge`` may clear it); follow with ``blob_delete``."""
    tr.set(keyspace().blob_marker(blob_id), fdbtuple.pack((0,)))


def blob_is_pending(tr: ReadOperations, blob_id: uuid.UUID) -> bool:
    return tr.get(keyspace().blob_marker(blob_id)) is not None


def blob_read(
    db: Database, blob_id: uuid.UUID, size: int, *, start: int = 0, stop: int | None = None
) -> Iterator[bytes]:
    """Yield bytes ``[start, stop)`` of the blob of ``size`` bytes, one piece (of up to
    ``READ_CHUNKS`` chunks) per transaction.

    Raises ``BlobMissing`` when a chunk is absent or shorter than ``size`` says."""
    stop = size if stop is None else min(stop, size)
    if start >= stop:
        return
    ks = keyspace()
    first, last = start // CHUNK_SIZE, (stop - 1) // CHUNK_SIZE
    index = first
    while index <= last:
        end = min(last + 1, index + READ_CHUNKS)
        begin_key, end_key = ks.blob_chunk(blob_id, index), ks.blob_chunk(blob_id, end)
        rows = db.transact(
            lambda tr, b=begin_key, e=end_key: tr.snapshot.get_range(b, e, limit=READ_CHUNKS)
        )
        if len(rows) != end - index:
            raise BlobMissing(f"blob {blob_id} lost chunks while being read")
        pieces = []
        for row in rows:
            expected = min(CHUNK_SIZE, size - index * CHUNK_SIZE)
            if len(row.value) != expected:
                raise BlobMissing(f"blob {blob_id} chunk {index} is damaged")
            base = index * CHUNK_SIZE
            pieces.append(row.value[max(start - base, 0) : stop - base])
            index += 1
        yield b"".join(pieces)  # one piece per transaction: fewer hops for the server


def blob_get(tr: ReadOperations, blob_id: uuid.UUID, size: int) -> bytes:
    """The whole of a small blob (at most ``READ_CHUNKS`` chunks), read in the caller's
    transaction: with the record that names it, in one snapshot and one round trip less.

    Raises ``BlobMissing`` when a chunk is absent or shorter than ``size`` says."""
    count = -(-size // CHUNK_SIZE)
    if count > READ_CHUNKS:
        raise ValueError(f"blob_get reads at most {READ_CHUNKS} chunks; use blob_read")
    if count == 0:
        return b""
    ks = keyspace()
    rows = tr.get_range(ks.blob_chunk(blob_id, 0), ks.blob_chunk(blob_id, count), limit=count)
    if len(rows) != count or sum(len(row.value) for row in rows) != size:
        raise BlobMissing(f"blob {blob_id} is missing or damaged")
    return b"".join(row.value for row in rows)


def blob_delete(db: Database, blob_id: uuid.UUID, *, size: int = DELETE_CHUNKS) -> int:
    """Clear the blob's chunks, ``size`` per transaction, then its marker; return the chunks.

    One read finds the last chunk's number (chunk numbers are dense); each later
    transaction clears a window of ``size`` numbers without reading a byte of
    them. Idempotent: deleting a blob that is (partly) gone finishes the job."""
    ks = keyspace()
    space = ks.blob_chunks.subspace((blob_id,)).range()

    def last_chunk(tr: Transaction) -> int:
        rows = tr.snapshot.get_range(space.start, space.stop, limit=1, reverse=True)
        return ks.blob_chunks.unpack(rows[0].key)[1] if rows else -1

    count = db.transact(last_chunk) + 1
    for first in range(0, count, size):
        stop = min(first + size, count)
        db.transact(
            lambda tr, a=first, b=stop: tr.clear_range(
                ks.blob_chunk(blob_id, a), ks.blob_chunk(blob_id, b)
            )
        )
    db.transact(lambda tr: tr.clear(ks.blob_marker(blob_id)))
    return count


def blobs_purge(db: Database, *, dry_run: bool = False, size: int | None = None) -> PurgeCount:
    """Delete every blob whose pending marker has expired (dead uploads, retired blobs).

    The markers are read in bounded batches; each expired blob is deleted in its
    own bounded transactions. A blob published meanwhile loses its marker and
    is left alone: the delete re-reads the marker first."""
    from fdbstore import scan

    ks = keyspace()
    now, span = _now_ms(), ks.blob_pending.range()
    scanned = expired = 0
    for batch in scan.batches(db, span.start, span.stop, size=size):
        for row in batch:
            scanned += 1
            try:
                (blob_id,) = ks.blob_pending.unpack(row.key)
                (expires,) = fdbtuple.unpack(row.value)
            except (ValueError, TypeError):
                continue
            if not isinstance(expires, int) or expires > now:
                continue
            expired += 1
            if not dry_run and _claim(db, blob_id, now):
                blob_delete(db, blob_id)
    return PurgeCount(scanned, expired)


def _claim(db: Database, blob_id: uuid.UUID, now: int) -> bool:
    """Retire the blob if its marker is still there and expired (conflicts with a publish)."""

    def claim(tr: Transaction) -> bool:
        raw = tr.get(keyspace().blob_marker(blob_id))
        if raw is None:
            return False
        (expires,) = fdbtuple.unpack(raw)
        if not isinstance(expires, int) or expires > now:
            return False
        blob_retire(tr, blob_id)
        return True

    return db.transact(claim)
