"""Index verification: planted orphans and missing entries are found, repaired, and then gone."""

from __future__ import annotations

import uuid

import pytest
from fdb import tuple as fdbtuple

from fdbstore import checks, scan
from fdbstore.checks import check_repository
from tests.fdbstore.widgets import RecordingDatabase, widget, widget_repository
from tests.support.stores import open_store

OWNER = uuid.UUID("00000000-0000-4000-8000-00000000000a")


@pytest.fixture
def db(tmp_path):
    database = open_store(tmp_path / "store.sqlite3")
    yield database
    database.close()


@pytest.fixture
def repo():
    return widget_repository()


@pytest.fixture
def widgets(db, repo):
    made = [widget(f"W-{i}", owner=OWNER) for i in range(5)]
    db.transact(lambda tr: [repo.insert(tr, w) for w in made])
    return made


def code_key(repo, code):
    return repo.index("by_code").space().pack((code,))


def owner_key(repo, w):
    return repo.index("by_owner").space().pack((w.owner, w.id))


def plant(db, key, value):
    db.transact(lambda tr: tr.set(key, value))


def remove(db, key):
    db.transact(lambda tr: tr.clear(key))


def test_a_consistent_repository_is_clean(db, repo, widgets):
    report = check_repository(db, "widgets", repo)
    assert report.ok and report.records == 5
    assert report.orphans == report.missing == report.undecodable == []


def test_it_finds_a_planted_orphan_in_each_kind_of_index(db, repo, widgets):
    ghost = uuid.uuid4()
    plant(db, code_key(repo, "GHOST"), fdbtuple.pack((ghost,)))
    ghost_owner = repo.index("by_owner").space().pack((OWNER, ghost))
    plant(db, ghost_owner, fdbtuple.pack((ghost,)))
    report = check_repository(db, "widgets", repo)
    assert sorted(report.orphans) == sorted(
        [("by_code", code_key(repo, "GHOST")), ("by_owner", ghost_owner)]
    )
    assert report.missing == [] and not report.ok


def test_it_finds_a_planted_missing_entry(db, repo, widgets):
    remove(db, code_key(repo, "W-2"))
    remove(db, owner_key(repo, widgets[3]))
    report = check_repository(db, "widgets", repo)
    assert sorted(report.missing) == sorted(
        [
            ("by_code", code_key(repo, "W-2"), fdbtuple.pack((widgets[2].id,))),
            ("by_owner", owner_key(repo, widgets[3]), fdbtuple.pack((widgets[3].id,))),
        ]
    )
    assert report.orphans == []


def test_an_entry_pointing_at_the_wrong_record_is_an_orphan_and_a_missing_entry(db, repo, widgets):
    plant(db, code_key(repo, "W-0"), fdbtuple.pack((widgets[1].id,)))
    report = check_repository(db, "widgets", repo)
    assert report.orphans == [("by_code", code_key(repo, "W-0"))]
    assert [m[1] for m in report.missing] == [code_key(repo, "W-0")]


def test_repair_fixes_orphans_and_missing_entries_and_the_store_is_then_clean(db, repo, widgets):
    plant(db, code_key(repo, "GHOST"), fdbtuple.pack((uuid.uuid4(),)))
    plant(db, code_key(repo, "W-0"), fdbtuple.pack((widgets[1].id,)))  # wrong record
    plant(db, repo.index("by_owner").space().pack((OWNER, uuid.uuid4())), b"not a tuple")
    remove(db, code_key(repo, "W-2"))
    remove(db, owner_key(repo, widgets[3]))
    report = check_repository(db, "widgets", repo, repair=True)
    assert report.problems == 6 and report.repaired == 6
    after = check_repository(db, "widgets", repo)
    assert after.ok and after.records == 5
    assert db.transact(lambda tr: repo.lookup_unique(tr, "by_code", "W-0")) == (widgets[0].id,)


def test_repair_rechecks_each_finding_and_leaves_a_fixed_one_alone(db, repo, widgets):
    remove(db, code_key(repo, "W-2"))
    plant(db, code_key(repo, "GHOST"), fdbtuple.pack((uuid.uuid4(),)))
    report = check_repository(db, "widgets", repo)
    # Between the scan and the repair, the application deletes W-2 and the
    # ghost entry is cleared: the stale findings must not be "repaired".
    db.transact(lambda tr: repo.delete(tr, widgets[2]))
    remove(db, code_key(repo, "GHOST"))
    assert checks._repair(db, repo, report) == 0
    assert db.transact(lambda tr: tr.get(code_key(repo, "W-2"))) is None
    assert check_repository(db, "widgets", repo).ok


def test_an_undecodable_record_is_reported_and_never_repaired(db, repo, widgets):
    broken = repo.key((widgets[0].id,))
    plant(db, broken, b"{not json")
    report = check_repository(db, "widgets", repo, repair=True)
    assert report.undecodable == [broken]
    # Its index entries cannot be judged: neither orphans nor cleared.
    assert report.orphans == [] and report.repaired == 0 and not report.ok
    assert db.transact(lambda tr: tr.get(code_key(repo, "W-0"))) is not None
    assert db.transact(lambda tr: tr.get(broken)) == b"{not json"


def test_it_reads_in_bounded_snapshot_batches_one_transaction_each(db, repo, widgets, monkeypatch):
    monkeypatch.setattr(scan, "BATCH", 2)
    remove(db, code_key(repo, "W-4"))
    spy = RecordingDatabase(db)
    report = check_repository(spy, "widgets", repo)
    assert report.records == 5 and len(report.missing) == 1
    # 5 records, then 4 and 5 index entries, at most 2 per transaction:
    # 3 + 3 + 3 single-read transactions (a full batch asks for one more).
    assert spy.transactions == [[("snapshot.get_range", 2)]] * 9
