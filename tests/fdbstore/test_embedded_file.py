"""The embedded backend opens only its own files, and leaves others untouched."""

from __future__ import annotations

import sqlite3

import pytest

from fdbstore.backends.embedded import EmbeddedDatabase
from fdbstore.errors import StoreUnavailable


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
