"""The embedded backend opens only its own files, and leaves others untouched."""

from __future__ import annotations

import sqlite3

import pytest

from fdbstore.backends.embedded import EmbeddedDatabase
from fdbstore.errors import FDBError, StoreUnavailable


def test_it_refuses_another_applications_sqlite_file_without_changing_it(tmp_path):
    path = tmp_path / "app.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    with pytest.raises(StoreUnavailable, match=r"not an fdbstore file.*customers"):
        EmbeddedDatabase(path=str(path))
    with sqlite3.connect(path) as conn:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    assert tables == {"customers"}


def test_it_refuses_a_file_that_is_not_sqlite(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"plain text, not a database" * 100)
    with pytest.raises(StoreUnavailable):
        EmbeddedDatabase(path=str(path))


def test_it_reopens_its_own_file_with_the_data(tmp_path):
    path = str(tmp_path / "store.sqlite3")
    EmbeddedDatabase(path=path).transact(lambda tr: tr.set(b"k", b"v"))
    assert EmbeddedDatabase(path=path).transact(lambda tr: tr.get(b"k")) == b"v"


def test_a_commit_whose_conflict_history_was_pruned_is_too_old(tmp_path):
    """If the log rows after a read version are gone (a wall-clock jump pruned
    them), the conflict check cannot be made: 1007, as past FoundationDB's window."""
    path = str(tmp_path / "store.sqlite3")
    db = EmbeddedDatabase(path=path)
    db.transact(lambda tr: tr.set(b"k", b"0"))
    stale = db.create_transaction()
    stale.get(b"k")
    db.transact(lambda tr: tr.set(b"k", b"1"))
    db.transact(lambda tr: tr.set(b"other", b"x"))
    with sqlite3.connect(path) as conn:  # what pruning after a clock jump leaves
        conn.execute("DELETE FROM commit_log WHERE version < (SELECT max(version) FROM commit_log)")
    stale.set(b"k", b"2")
    with pytest.raises(FDBError) as info:
        stale.commit()
    assert info.value.code == 1007
    assert db.transact(lambda tr: tr.get(b"k")) == b"1"


@pytest.mark.parametrize("mmap_bytes", [0, 64 << 20])
def test_its_connections_map_the_file_as_configured(tmp_path, mmap_bytes):
    db = EmbeddedDatabase(path=str(tmp_path / "store.sqlite3"), mmap_bytes=mmap_bytes)
    db.transact(lambda tr: tr.set(b"k", b"v" * 90_000))  # an overflowing value, as chunks are
    conn = db.acquire()
    try:
        assert conn.execute("PRAGMA mmap_size").fetchone()[0] == mmap_bytes
    finally:
        db.release(conn)
    assert db.transact(lambda tr: tr.get(b"k")) == b"v" * 90_000


def test_open_database_hands_the_mmap_setting_to_the_store(tmp_path):
    from fdbstore.connection import open_database

    path = str(tmp_path / "store.sqlite3")
    db = open_database({"BACKEND": "embedded", "PATH": path, "MMAP_BYTES": 12345 * 4096})
    assert db._mmap_bytes == 12345 * 4096
