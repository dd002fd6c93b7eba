"""``purge_space``: clear expired pairs of a space in bounded batches."""

from __future__ import annotations

import pytest
from fdb.subspace_impl import Subspace

from fdbstore.purge import purge_space
from tests.fdbstore.widgets import RecordingDatabase
from tests.support.stores import open_store


@pytest.fixture
def db(tmp_path):
    database = open_store(tmp_path / "store.sqlite3")
    yield database
    database.close()


SPACE = Subspace(("purge-tests",))


def fill(db, n: int) -> None:
    db.transact(lambda tr: [tr.set(SPACE.pack((i,)), bytes([i % 2])) for i in range(n)])


def odd(key, value) -> bool:
    return value == b"\x01"


def remaining(db) -> list[int]:
    return [
        SPACE.unpack(k)[0] for k, _ in db.transact(lambda tr: tr.get_range_startswith(SPACE.key()))
    ]


def test_it_clears_what_is_expired_in_batches_of_one_transaction_each(db):
    fill(db, 7)
    spy = RecordingDatabase(db)
    count = purge_space(spy, SPACE, odd, size=3)
    assert (count.scanned, count.expired) == (7, 3)
    assert remaining(db) == [0, 2, 4, 6]
    ranges = [op for t in spy.transactions for op in t if op[0].endswith("get_range")]
    assert ranges == [("get_range", 3)] * 3  # conflict-checked reads, 3 + 3 + 1 keys


def test_dry_run_and_snapshot_read_without_conflicts(db):
    fill(db, 4)
    spy = RecordingDatabase(db)
    assert purge_space(spy, SPACE, odd, dry_run=True).expired == 2
    assert remaining(db) == [0, 1, 2, 3]
    purge_space(spy, SPACE, odd, snapshot=True)
    assert remaining(db) == [0, 2]
    reads = {op[0] for t in spy.transactions for op in t if "get" in op[0]}
    assert reads == {"snapshot.get_range"}


def test_pairs_it_cannot_judge_are_left_alone(db):
    fill(db, 3)

    def picky(key, value):
        raise ValueError("cannot read this")

    assert purge_space(db, SPACE, picky).expired == 0
    assert remaining(db) == [0, 1, 2]
