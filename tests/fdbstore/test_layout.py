"""The layout header: written into a new store, accepted when equal, refused when newer."""

from __future__ import annotations

import pytest
from fdb import tuple as fdbtuple

from fdbstore.backends.embedded import EmbeddedDatabase
from fdbstore.backends.memory import MemoryDatabase
from fdbstore.connection import open_database
from fdbstore.errors import LayoutVersionError
from fdbstore.keys import LAYOUT_VERSION, keyspace
from fdbstore.layout import ensure_layout


def header(db):
    return db.transact(lambda tr: tr.get(keyspace().layout_version()))


def write_header(db, version):
    db.transact(lambda tr: tr.set(keyspace().layout_version(), fdbtuple.pack((version,))))


def test_it_writes_the_header_into_a_new_store():
    db = MemoryDatabase()
    assert header(db) is None
    assert ensure_layout(db) == LAYOUT_VERSION
    assert header(db) == fdbtuple.pack((LAYOUT_VERSION,))


def test_it_accepts_a_store_of_the_same_version(tmp_path):
    path = str(tmp_path / "store.sqlite3")
    first = EmbeddedDatabase(path=path, synchronous="NORMAL")
    ensure_layout(first)
    first.close()
    reopened = EmbeddedDatabase(path=path, synchronous="NORMAL")
    assert ensure_layout(reopened) == LAYOUT_VERSION
    assert header(reopened) == fdbtuple.pack((LAYOUT_VERSION,))
    reopened.close()


def test_it_refuses_a_newer_layout_and_leaves_the_header_alone():
    db = MemoryDatabase()
    write_header(db, LAYOUT_VERSION + 1)
    with pytest.raises(LayoutVersionError, match=f"key layout {LAYOUT_VERSION + 1}"):
        ensure_layout(db)
    assert header(db) == fdbtuple.pack((LAYOUT_VERSION + 1,))


def test_opening_a_store_with_a_newer_layout_fails(tmp_path):
    path = str(tmp_path / "store.sqlite3")
    db = EmbeddedDatabase(path=path, synchronous="NORMAL")
    write_header(db, LAYOUT_VERSION + 1)
    db.close()
    with pytest.raises(LayoutVersionError):
        open_database({"BACKEND": "embedded", "PATH": path, "SYNCHRONOUS": "NORMAL"})
