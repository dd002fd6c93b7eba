"""Opening the store, once per process.

The handle is opened lazily on first use and re-opened after ``fork()``: the
FoundationDB client is not fork-safe and SQLite connections must not cross a
fork, so a pre-forking server's workers each open their own.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.utils.module_loading import import_string

from fdbstore import layout
from fdbstore.blobcache import BlobCache
from fdbstore.conf import BACKENDS, store_settings
from fdbstore.database import Database

_lock = threading.Lock()
_database: Database | None = None
_pid: int | None = None


def open_database(config: dict[str, Any] | None = None, *, check_layout: bool = True) -> Database:
    """Open a new handle from ``config`` (default: ``settings.FDBSTORE``)."""
    config = store_settings(config)
    backend = import_string(BACKENDS[config["BACKEND"]])
    db: Database = backend(
        path=config["PATH"],
        cluster_file=config["CLUSTER_FILE"],
        api_version=config["API_VERSION"],
        retry_limit=config["RETRY_LIMIT"],
        timeout_ms=config["TIMEOUT_MS"],
        synchronous=config["SYNCHRONOUS"],
        mmap_bytes=config["MMAP_BYTES"],
    )
    db.blob_cache = BlobCache(config["BLOB_CACHE_BYTES"])
    if check_layout:
        layout.ensure_layout(db)
    return db


def get_database() -> Database:
    """Return this process's shared handle, opening it on first use."""
    global _database, _pid
    if _database is not None and _pid == os.getpid():
        return _database
    with _lock:
        if _database is None or _pid != os.getpid():
            _database = open_database()
            _pid = os.getpid()
        return _database


def reset_database() -> None:
    """Forget the shared handle (settings changed, or between tests)."""
    global _database, _pid
    with _lock:
        if _database is not None and _pid == os.getpid():
            _database.close()
        _database, _pid = None, None


@contextmanager
def use_database(db: Database) -> Iterator[Database]:
    """Make ``db`` the shared handle inside the block (tests, commands)."""
    global _database, _pid
    with _lock:
        saved = (_database, _pid)
        _database, _pid = db, os.getpid()
    try:
        yield db
    finally:
        with _lock:
            _database, _pid = saved
