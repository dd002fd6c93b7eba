"""Group commit in the embedded store (fdbstore/groupcommit.py).

Concurrent commits of one process share one SQLite transaction and one sync;
each still fails alone (a conflict with an earlier commit of its own batch, a
storage error while applying it) and none returns before the batch is durable.
The SIGKILL tests (tests/fdbstore/test_crash.py, tests/server/test_crash.py)
prove that acknowledged commits survive a crash.
"""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from fdbstore.backends import embedded
from fdbstore.backends.embedded import EmbeddedDatabase
from fdbstore.errors import NOT_COMMITTED, FDBError, StoreError


@pytest.fixture
def db(tmp_path):
    database = EmbeddedDatabase(path=str(tmp_path / "s.sqlite3"), synchronous="FULL")
    yield database
    database.close()


@pytest.fixture
def slow_writes(db, monkeypatch):
    """Each batch write takes a while (as a slow fsync would), so commits pile up."""
    real = EmbeddedDatabase._write_locked
    sizes: list[int] = []

    def slow(self, conn, batch):
        sizes.append(len(batch))
        time.sleep(0.05)
        return real(self, conn, batch)

    monkeypatch.setattr(EmbeddedDatabase, "_write_locked", slow)
    return sizes


def wait_queued(db: EmbeddedDatabase, n: int) -> None:
    deadline = time.monotonic() + 5
    while len(db._committer._queue) < n:
        assert time.monotonic() < deadline, "commits did not queue"
        time.sleep(0.005)


def test_concurrent_commits_share_batches_and_all_land(db, slow_writes):
    def writer(w: int) -> None:
        for i in range(10):
            db.transact(lambda tr, w=w, i=i: tr.set(f"k/{w}/{i}".encode(), b"v"))

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    stored = db.transact(lambda tr: tr.get_range(b"k/", b"k0"))
    assert len(stored) == 80
    assert sum(slow_writes) == 80
    assert max(slow_writes) > 1, slow_writes  # commits shared a write
    assert len(slow_writes) < 80
    print(f"\n80 commits from 8 threads in {len(slow_writes)} batches: {slow_writes}")


def test_a_commit_that_conflicts_with_an_earlier_one_in_its_batch_fails_alone(db, slow_writes):
    db.transact(lambda tr: tr.set(b"x", b"0"))
    slow_writes.clear()
    results: dict[str, object] = {}

    def commit(name: str, build) -> None:
        tr = db.create_transaction()
        build(tr)
        try:
            tr.commit()
            results[name] = "ok"
        except FDBError as exc:
            results[name] = exc.code

    # The reader reads x before anything changes it.
    reader = db.create_transaction()
    assert reader.get(b"x") == b"0"
    reader.set(b"y", b"from reader")

    leader = threading.Thread(target=commit, args=("leader", lambda tr: tr.set(b"a", b"1")))
    leader.start()
    wait_queued(db, 1)  # the leader is writing (slowly): the next three queue up
    writer = threading.Thread(target=commit, args=("writer", lambda tr: tr.set(b"x", b"1")))
    writer.start()
    wait_queued(db, 2)

    def commit_reader() -> None:
        try:
            reader.commit()
            results["reader"] = "ok"
        except FDBError as exc:
            results["reader"] = exc.code

    late = threading.Thread(target=commit_reader)
    late.start()
    wait_queued(db, 3)
    other = threading.Thread(target=commit, args=("other", lambda tr: tr.set(b"b", b"2")))
    other.start()
    for thread in (leader, writer, late, other):
        thread.join()

    assert results == {"leader": "ok", "writer": "ok", "reader": NOT_COMMITTED, "other": "ok"}
    assert slow_writes == [1, 3]  # writer, reader and other were one batch
    got = db.transact(lambda tr: [tr.get(k) for k in (b"a", b"x", b"y", b"b")])
    assert got == [b"1", b"1", None, b"2"]


def test_a_storage_error_in_one_commit_of_a_batch_fails_only_that_one(db, slow_writes, monkeypatch):
    real = embedded._apply_all

    def failing(conn, mutations):
        if any(m[1] == b"poison" for m in mutations):
            raise sqlite3.OperationalError("disk I/O error (simulated)")
        return real(conn, mutations)

    monkeypatch.setattr(embedded, "_apply_all", failing)
    results: dict[str, object] = {}

    def commit(key: bytes) -> None:
        tr = db.create_transaction()
        tr.set(key, b"v")
        try:
            tr.commit()
            results[key] = "ok"
        except StoreError as exc:
            results[key] = str(exc)

    threads = [threading.Thread(target=commit, args=(b"first",))]
    threads[0].start()
    wait_queued(db, 1)
    for n, key in enumerate((b"before", b"poison", b"after"), start=2):
        threads.append(threading.Thread(target=commit, args=(key,)))
        threads[-1].start()
        wait_queued(db, n)
    for thread in threads:
        thread.join()

    assert results[b"first"] == results[b"before"] == results[b"after"] == "ok"
    assert "disk I/O error" in str(results[b"poison"])
    assert slow_writes == [1, 3]
    keys = (b"first", b"before", b"poison", b"after")
    assert db.transact(lambda tr: [tr.get(k) for k in keys]) == [b"v", b"v", None, b"v"]


def test_a_lone_commit_is_a_batch_of_one(db):
    db.transact(lambda tr: tr.set(b"k", b"v"))
    assert (db._committer.batches, db._committer.commits) == (1, 1)
