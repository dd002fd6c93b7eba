"""A fresh embedded store for one test: opened as ``open_database()`` would
(layout header written), and optionally installed as the process's handle."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fdbstore.backends.embedded import EmbeddedDatabase
from fdbstore.blobcache import BlobCache
from fdbstore.conf import store_settings
from fdbstore.connection import use_database
from fdbstore.layout import ensure_layout


def open_store(path) -> EmbeddedDatabase:
    # NORMAL: survives kill -9, not power loss; tests need no fsync per commit.
    db = EmbeddedDatabase(path=str(path), synchronous="NORMAL")
    db.blob_cache = BlobCache(store_settings()["BLOB_CACHE_BYTES"])  # as open_database() does
    ensure_layout(db)
    return db


@contextmanager
def fresh_store(tmp_path, name: str = "store.sqlite3") -> Iterator[EmbeddedDatabase]:
    """A new embedded store in ``tmp_path``, installed as the process's handle."""
    db = open_store(tmp_path / name)
    try:
        with use_database(db):
            yield db
    finally:
        db.close()
