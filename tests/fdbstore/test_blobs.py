"""``fdbstore/blobs.py``: chunked blobs written, published, read, deleted and purged,
on every backend."""

from __future__ import annotations

import io
import os
import uuid
from datetime import timedelta

import pytest

from config.api import clock
from fdbstore import blobs
from fdbstore.blobs import (
    CHUNK_SIZE,
    BlobMissing,
    BlobTooLarge,
    blob_delete,
    blob_get,
    blob_is_pending,
    blob_publish,
    blob_read,
    blob_retire,
    blob_write,
    blobs_purge,
    pieces_of,
)
from fdbstore.keys import keyspace


def read_all(db, blob, **kw) -> bytes:
    return b"".join(blob_read(db, blob.id, blob.size, **kw))


def chunks_of(db, blob_id) -> int:
    span = keyspace().blob_chunks.subspace((blob_id,)).range()
    return len(db.transact(lambda tr: tr.get_range(span.start, span.stop)))


def pending(db, blob_id) -> bool:
    return db.transact(lambda tr: blob_is_pending(tr, blob_id))


@pytest.mark.parametrize("size", [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, 3 * CHUNK_SIZE + 17])
def test_it_round_trips_any_size(db, size):
    data = os.urandom(size)
    blob = blob_write(db, [data[i : i + 1000] for i in range(0, size, 1000)])
    assert blob.size == size
    assert chunks_of(db, blob.id) == -(-size // CHUNK_SIZE)
    assert read_all(db, blob) == data
    blob_delete(db, blob.id)


def test_it_writes_many_transactions_for_a_big_blob_and_publishes_in_one(db, monkeypatch):
    monkeypatch.setattr(blobs, "BATCH_CHUNKS", 2)
    data = os.urandom(5 * CHUNK_SIZE + 5)
    blob = blob_write(db, pieces_of(io.BytesIO(data), 7777))
    assert pending(db, blob.id)
    db.transact(lambda tr: blob_publish(tr, blob.id))
    assert not pending(db, blob.id)
    db.transact(lambda tr: blob_publish(tr, blob.id))  # a retried publish passes
    assert read_all(db, blob) == data
    blob_delete(db, blob.id)


@pytest.mark.parametrize(
    ("start", "stop"),
    [(0, 1), (5, CHUNK_SIZE + 5), (CHUNK_SIZE, 2 * CHUNK_SIZE), (2 * CHUNK_SIZE - 1, None), (7, 7)],
)
def test_it_reads_byte_ranges(db, start, stop):
    data = os.urandom(2 * CHUNK_SIZE + 100)
    blob = blob_write(db, [data])
    assert read_all(db, blob, start=start, stop=stop) == data[start:stop]
    blob_delete(db, blob.id)


def test_a_read_of_a_deleted_blob_raises_rather_than_yield_short_bytes(db, monkeypatch):
    monkeypatch.setattr(blobs, "READ_CHUNKS", 1)
    blob = blob_write(db, [os.urandom(3 * CHUNK_SIZE)])
    reader = blob_read(db, blob.id, blob.size)
    assert len(next(reader)) == CHUNK_SIZE  # READ_CHUNKS = 1: one chunk per piece
    blob_delete(db, blob.id)
    with pytest.raises(BlobMissing):
        next(reader)


@pytest.mark.parametrize("size", [0, 1, CHUNK_SIZE, 16 * CHUNK_SIZE])
def test_blob_get_reads_a_small_blob_whole_in_the_callers_transaction(db, size):
    data = os.urandom(size)
    blob = blob_write(db, [data])
    marker = keyspace().blob_marker(blob.id)

    def read(tr):  # the blob and another key, one snapshot
        return blob_get(tr, blob.id, blob.size), tr.get(marker)

    content, pending_marker = db.transact(read)
    assert content == data and pending_marker is not None
    blob_delete(db, blob.id)


def test_blob_get_refuses_a_big_blob_and_a_missing_one(db):
    big = blobs.READ_CHUNKS * CHUNK_SIZE + 1
    with pytest.raises(ValueError, match="at most"):
        db.transact(lambda tr: blob_get(tr, uuid.uuid4(), big))
    blob = blob_write(db, [os.urandom(3 * CHUNK_SIZE)])
    db.transact(lambda tr: tr.clear(keyspace().blob_chunk(blob.id, 1)))  # a chunk lost
    with pytest.raises(BlobMissing):
        db.transact(lambda tr: blob_get(tr, blob.id, blob.size))
    blob_delete(db, blob.id)
    with pytest.raises(BlobMissing):
        db.transact(lambda tr: blob_get(tr, blob.id, blob.size))


def test_it_refuses_more_than_max_bytes_and_leaves_nothing(db):
    before = _all_chunks(db)
    with pytest.raises(BlobTooLarge):
        blob_write(db, [b"x" * CHUNK_SIZE] * 40, max_bytes=CHUNK_SIZE * 20)
    assert _all_chunks(db) == before


def test_a_source_that_fails_midway_leaves_nothing(db):
    before = _all_chunks(db)

    def source():
        yield b"a" * (CHUNK_SIZE * 40)
        raise OSError("client went away")

    with pytest.raises(OSError):
        blob_write(db, source())
    assert _all_chunks(db) == before


def test_on_batch_runs_in_each_write_transaction(db, monkeypatch):
    monkeypatch.setattr(blobs, "BATCH_CHUNKS", 2)
    seen = []
    blob = blob_write(db, [b"x" * (5 * CHUNK_SIZE)], on_batch=lambda tr, n: seen.append(n))
    assert seen == [2 * CHUNK_SIZE, 2 * CHUNK_SIZE, CHUNK_SIZE]
    blob_delete(db, blob.id)


def test_delete_works_in_bounded_batches_and_clears_the_marker(db):
    blob = blob_write(db, [b"y" * (7 * CHUNK_SIZE)])
    assert blob_delete(db, blob.id, size=3) == 7
    assert chunks_of(db, blob.id) == 0
    assert not pending(db, blob.id)
    assert blob_delete(db, blob.id) == 0  # idempotent


def test_purge_clears_dead_uploads_once_expired_and_keeps_the_rest(db):
    dead = blob_write(db, [b"d" * 10], ttl=timedelta(minutes=5))
    live = blob_write(db, [b"l" * 10], ttl=timedelta(minutes=5))
    published = blob_write(db, [b"p" * 10], ttl=timedelta(seconds=0))
    db.transact(lambda tr: blob_publish(tr, published.id))
    db.transact(lambda tr: blob_publish(tr, live.id))
    blobs_purge(db)
    assert chunks_of(db, dead.id) == 1
    with clock.frozen(clock.now() + timedelta(minutes=6)):
        assert blobs_purge(db, dry_run=True).expired >= 1
        assert chunks_of(db, dead.id) == 1
        assert blobs_purge(db).expired >= 1
    assert chunks_of(db, dead.id) == 0 and not pending(db, dead.id)
    assert read_all(db, live) == b"l" * 10 and read_all(db, published) == b"p" * 10
    for blob in (live, published):
        blob_delete(db, blob.id)


def test_a_retired_blob_cannot_be_published_and_is_purged(db):
    blob = blob_write(db, [b"r"])
    db.transact(lambda tr: blob_retire(tr, blob.id))
    with pytest.raises(BlobMissing):
        db.transact(lambda tr: blob_publish(tr, blob.id))
    assert blobs_purge(db).expired >= 1
    assert chunks_of(db, blob.id) == 0


def _all_chunks(db) -> int:
    span = keyspace().blob_chunks.range()
    return len(db.transact(lambda tr: tr.snapshot.get_range(span.start, span.stop)))
