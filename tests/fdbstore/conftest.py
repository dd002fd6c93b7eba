"""Backend fixtures: the conformance suite runs once per backend.

Each test gets its own random subspace, cleared afterwards, so tests never
see each other's keys (fdb-record-layer's TestSubspaceExtension).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from fdb.subspace_impl import Subspace

from fdbstore.backends.embedded import EmbeddedDatabase
from fdbstore.backends.memory import MemoryDatabase
from fdbstore.database import Database
from fdbstore.errors import StoreUnavailable

BACKENDS = ["memory", "embedded", pytest.param("foundationdb", marks=pytest.mark.foundationdb)]


def open_backend(name: str, tmp_path) -> Database:
    if name == "memory":
        return MemoryDatabase()
    if name == "embedded":
        return EmbeddedDatabase(path=str(tmp_path / "store.sqlite3"), synchronous="NORMAL")
    cluster_file = os.environ.get("FDB_CLUSTER_FILE")
    if not cluster_file:
        pytest.skip("FoundationDB run skipped: FDB_CLUSTER_FILE is not set (no cluster here)")
    from fdbstore.backends.foundationdb import FoundationDBDatabase

    try:
        return FoundationDBDatabase(cluster_file=cluster_file, timeout_ms=3000)
    except StoreUnavailable as exc:
        pytest.skip(f"FoundationDB run skipped: {exc}")


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path) -> Iterator[Database]:
    database = open_backend(request.param, tmp_path)
    yield database
    database.close()


@pytest.fixture
def space(db: Database) -> Iterator[Subspace]:
    subspace = Subspace(("conformance", uuid.uuid4().hex))
    yield subspace
    db.transact(lambda tr: tr.clear_range_startswith(subspace.key()))
