"""Bounded deletes through an index or a key prefix: what deleting a tenant is made of."""

from __future__ import annotations

import uuid

import pytest
from fdb import tuple as fdbtuple

from tests.fdbstore.widgets import widget, widget_repository
from tests.support.stores import open_store

OWNER = uuid.UUID("00000000-0000-4000-8000-00000000000a")
OTHER = uuid.UUID("00000000-0000-4000-8000-00000000000b")


@pytest.fixture
def db(tmp_path):
    database = open_store(tmp_path / "store.sqlite3")
    yield database
    database.close()


@pytest.fixture
def repo():
    return widget_repository()


def keys_of(db, repo) -> set[tuple]:
    parent = fdbtuple.unpack(repo.space.key())[:-1]
    rows = db.transact(lambda tr: tr.get_range_startswith(fdbtuple.pack(parent)))
    return {fdbtuple.unpack(k)[len(parent) :] for k, _ in rows}


def test_delete_by_index_deletes_in_batches_and_says_when_more_remain(db, repo):
    mine = [widget(f"M-{i}", owner=OWNER) for i in range(5)]
    theirs = widget("T-1", owner=OTHER)
    db.transact(lambda tr: [repo.insert(tr, w) for w in [*mine, theirs]])

    results = []
    while not results or results[-1][1]:
        results.append(
            db.transact(lambda tr: repo.delete_by_index(tr, "by_owner", (OWNER,), limit=2))
        )
    assert results == [(2, True), (2, True), (1, False)]
    assert keys_of(db, repo) == {
        ("widgets", theirs.id),
        ("by_code", "T-1"),
        ("by_owner", OTHER, theirs.id),
    }


def test_delete_by_index_clears_orphans_and_never_deletes_through_a_foreign_entry(db, repo):
    kept = widget("K-1", owner=OTHER)
    db.transact(lambda tr: repo.insert(tr, kept))
    by_owner = repo.index("by_owner").space()
    orphan = by_owner.pack((OWNER, uuid.uuid4()))
    stale = by_owner.pack((OWNER, kept.id))  # names OTHER's widget under OWNER
    db.transact(lambda tr: tr.set(orphan, fdbtuple.pack((uuid.uuid4(),))))
    db.transact(lambda tr: tr.set(stale, fdbtuple.pack((kept.id,))))

    deleted = db.transact(lambda tr: repo.delete_by_index(tr, "by_owner", (OWNER,), limit=10))

    assert deleted == (0, False)
    assert ("widgets", kept.id) in keys_of(db, repo)
    assert not any(key[:2] == ("by_owner", OWNER) for key in keys_of(db, repo))


def test_delete_by_prefix_deletes_records_and_their_entries(db, repo):
    made = [widget(f"P-{i}") for i in range(3)]
    db.transact(lambda tr: [repo.insert(tr, w) for w in made])
    first = db.transact(lambda tr: repo.delete_by_prefix(tr, (), limit=2))
    second = db.transact(lambda tr: repo.delete_by_prefix(tr, (), limit=2))
    assert (first, second) == ((2, True), (1, False))
    assert keys_of(db, repo) == set()
