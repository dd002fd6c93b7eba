"""The generic repository: records and their declared indexes move together; paging by index."""

from __future__ import annotations

import base64
import uuid

import pytest
from fdb import tuple as fdbtuple
from hypothesis import given, settings
from hypothesis import strategies as st

from fdbstore.cursors import InvalidCursor, encode_cursor
from fdbstore.errors import UniqueViolation
from tests.fdbstore.widgets import Recording, all_pairs, widget, widget_repository
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


def root_of(repo):
    return repo.space  # widgets, by_code and by_owner share the parent subspace


def stored(db, repo):
    """Every key under the repository's test subspace, as readable tuples."""
    parent = fdbtuple.unpack(repo.space.key())[:-1]
    rows = db.transact(lambda tr: tr.get_range_startswith(fdbtuple.pack(parent)))
    return {fdbtuple.unpack(k)[len(parent) :]: v for k, v in rows}


def expected_keys(*widgets):
    keys = set()
    for w in widgets:
        keys |= {("widgets", w.id), ("by_code", w.code), ("by_owner", w.owner, w.id)}
    return keys


def recorded(db, body):
    holder = {}

    def run(tr):
        holder["rec"] = rec = Recording(tr)
        return body(rec)

    db.transact(run)
    return holder["rec"]


# -- writes keep indexes in step ---------------------------------------------------
def test_insert_writes_the_record_and_one_entry_per_index(db, repo):
    w = widget("A-1", owner=OWNER)
    rec = recorded(db, lambda tr: repo.insert(tr, w))
    assert set(stored(db, repo)) == expected_keys(w)
    # one read (the unique claim), three writes: no extra round trip.
    assert [op[0] for op in rec.ops] == ["get", "set", "set", "set"]
    assert stored(db, repo)[("by_code", "A-1")] == fdbtuple.pack((w.id,))
    assert stored(db, repo)[("by_owner", OWNER, w.id)] == fdbtuple.pack((w.id,))


def test_update_moves_changed_entries_and_clears_the_old_ones(db, repo):
    old = widget("A-1", owner=OWNER)
    new = old.__class__(**{**old.__dict__, "code": "A-2", "owner": OTHER})
    db.transact(lambda tr: repo.insert(tr, old))
    db.transact(lambda tr: repo.update(tr, old, new))
    assert set(stored(db, repo)) == expected_keys(new)
    assert db.transact(lambda tr: repo.get(tr, old.id)) == new


def test_update_of_an_unindexed_field_rewrites_only_the_record(db, repo):
    old = widget("A-1", owner=OWNER, name="before")
    new = old.__class__(**{**old.__dict__, "name": "after"})
    db.transact(lambda tr: repo.insert(tr, old))
    rec = recorded(db, lambda tr: repo.update(tr, old, new))
    assert rec.ops == [("set", repo.key((old.id,)))]
    assert db.transact(lambda tr: repo.get(tr, old.id)).name == "after"


def test_delete_clears_the_record_and_every_entry(db, repo):
    keep, gone = widget("K", owner=OWNER), widget("G", owner=OWNER)
    db.transact(lambda tr: [repo.insert(tr, keep), repo.insert(tr, gone)])
    db.transact(lambda tr: repo.delete(tr, gone))
    assert set(stored(db, repo)) == expected_keys(keep)
    assert db.transact(lambda tr: repo.get(tr, gone.id)) is None


def test_inserting_the_same_record_again_is_harmless(db, repo):
    # A retried transaction (1021, 1039) runs its insert twice: it must not violate itself.
    w = widget("A-1")
    db.transact(lambda tr: repo.insert(tr, w))
    db.transact(lambda tr: repo.insert(tr, w))
    assert set(stored(db, repo)) == expected_keys(w)


def test_lookup_unique_and_get_many(db, repo):
    a, b = widget("A"), widget("B")
    db.transact(lambda tr: [repo.insert(tr, a), repo.insert(tr, b)])
    assert db.transact(lambda tr: repo.lookup_unique(tr, "by_code", "B")) == (b.id,)
    assert db.transact(lambda tr: repo.lookup_unique(tr, "by_code", "Z")) is None
    found = db.transact(lambda tr: repo.get_many(tr, [(b.id,), (uuid.uuid4(),), (a.id,)]))
    assert found == [b, None, a]


# -- unique violations --------------------------------------------------------------
def test_a_taken_unique_value_raises_and_nothing_is_written(db, repo):
    first = widget("DUP", owner=OWNER)
    db.transact(lambda tr: repo.insert(tr, first))
    before = stored(db, repo)
    with pytest.raises(UniqueViolation) as caught:
        db.transact(lambda tr: repo.insert(tr, widget("DUP", owner=OTHER)))
    assert caught.value.index == "by_code"
    assert caught.value.value == ("DUP",)
    assert stored(db, repo) == before


def test_a_caught_violation_leaves_no_partial_write_in_the_transaction(db, repo):
    # A service that catches the violation and commits other work must not
    # commit half a record: the claim is checked before anything is written.
    db.transact(lambda tr: repo.insert(tr, widget("DUP")))
    before = stored(db, repo)
    intruder = widget("DUP", owner=OTHER)

    def body(tr):
        with pytest.raises(UniqueViolation):
            repo.insert(tr, intruder)

    rec = recorded(db, body)
    assert rec.writes() == []
    assert stored(db, repo) == before


def test_an_update_onto_a_taken_value_keeps_the_old_record(db, repo):
    a, b = widget("A", owner=OWNER), widget("B", owner=OWNER)
    db.transact(lambda tr: [repo.insert(tr, a), repo.insert(tr, b)])
    before = stored(db, repo)
    moved = b.__class__(**{**b.__dict__, "code": "A", "owner": OTHER})
    with pytest.raises(UniqueViolation):
        db.transact(lambda tr: repo.update(tr, b, moved))
    assert stored(db, repo) == before


def test_a_record_keeps_its_unique_value_when_its_primary_key_changes(db, repo):
    old = widget("SAME", owner=OWNER)
    new = old.__class__(**{**old.__dict__, "id": uuid.uuid4()})
    db.transact(lambda tr: repo.insert(tr, old))
    db.transact(lambda tr: repo.update(tr, old, new))  # its own claim, not another's
    assert set(stored(db, repo)) == expected_keys(new)
    assert db.transact(lambda tr: repo.lookup_unique(tr, "by_code", "SAME")) == (new.id,)


def test_two_writers_of_one_unique_value_give_one_success(db, repo):
    # Each claim reads the index key, so the second commit conflicts (1020),
    # is retried, and then sees the first writer's claim.
    a, b = widget("RACE"), widget("RACE")
    tr1, tr2 = db.create_transaction(), db.create_transaction()
    repo.insert(tr1, a)
    repo.insert(tr2, b)
    tr1.commit()
    with pytest.raises(Exception) as caught:
        tr2.commit()
    assert getattr(caught.value, "code", None) == 1020
    with pytest.raises(UniqueViolation):
        db.transact(lambda tr: repo.insert(tr, b))
    assert db.transact(lambda tr: repo.lookup_unique(tr, "by_code", "RACE")) == (a.id,)


# -- paging by index ----------------------------------------------------------------
def fill(db, repo, n, owner=OWNER):
    widgets = [widget(f"{owner.hex[-1]}-{i:03}", owner=owner) for i in range(n)]
    db.transact(lambda tr: [repo.insert(tr, w) for w in widgets])
    return widgets


def walk(db, repo, name, prefix, limit, reverse=False):
    pages, cursor = [], None
    while True:
        page = db.transact(
            lambda tr, c=cursor: repo.page_by_index(
                tr, name, prefix, limit=limit, cursor=c, reverse=reverse
            )
        )
        pages.append(page.items)
        assert len(page.items) <= limit
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor


@pytest.mark.parametrize("limit", [1, 2, 3, 7, 10, 11])
def test_paging_forward_sees_every_record_once_in_index_order(db, repo, limit):
    mine = fill(db, repo, 10)
    fill(db, repo, 4, owner=OTHER)
    pages = walk(db, repo, "by_owner", (OWNER,), limit)
    seen = [w for page in pages for w in page]
    assert seen == sorted(mine, key=lambda w: w.id)  # non-unique entries sort by pk
    assert len(pages) == max(1, -(-10 // limit))  # no trailing empty page


@pytest.mark.parametrize("limit", [1, 3, 5, 10])
def test_paging_in_reverse_sees_every_record_once_newest_first(db, repo, limit):
    mine = fill(db, repo, 10)
    fill(db, repo, 4, owner=OTHER)
    seen = [w for page in walk(db, repo, "by_owner", (OWNER,), limit, reverse=True) for w in page]
    assert seen == sorted(mine, key=lambda w: w.id, reverse=True)


def test_paging_a_unique_index_orders_by_value(db, repo):
    widgets = fill(db, repo, 6)
    seen = [w for page in walk(db, repo, "by_code", (), 4) for w in page]
    assert [w.code for w in seen] == sorted(w.code for w in widgets)


def test_an_empty_prefix_gives_one_empty_page(db, repo):
    fill(db, repo, 3)
    page = db.transact(lambda tr: repo.page_by_index(tr, "by_owner", (OTHER,), limit=5))
    assert page.items == [] and page.next_cursor is None


def test_a_record_added_behind_the_cursor_is_not_repeated(db, repo):
    fill(db, repo, 6)
    first = db.transact(lambda tr: repo.page_by_index(tr, "by_code", (), limit=3))
    db.transact(lambda tr: repo.insert(tr, widget("0-000", owner=OWNER)))  # sorts first
    rest = walk_from(db, repo, first.next_cursor, 3)
    codes = [w.code for w in first.items + rest]
    assert len(codes) == len(set(codes)) == 6


def walk_from(db, repo, cursor, limit):
    items = []
    while cursor is not None:
        page = db.transact(
            lambda tr, c=cursor: repo.page_by_index(tr, "by_code", (), limit=limit, cursor=c)
        )
        items += page.items
        cursor = page.next_cursor
    return items


@settings(max_examples=25, deadline=None)
@given(n=st.integers(0, 25), limit=st.integers(1, 8), reverse=st.booleans())
def test_paging_has_no_gaps_or_duplicates_for_any_size(tmp_path_factory, n, limit, reverse):
    db = open_store(tmp_path_factory.mktemp("paging") / "store.sqlite3")
    repo = widget_repository()
    try:
        mine = fill(db, repo, n)
        pages = walk(db, repo, "by_owner", (OWNER,), limit, reverse=reverse)
        seen = [w.id for page in pages for w in page]
        assert seen == sorted((w.id for w in mine), reverse=reverse)
        assert all(pages[:-1]) and len(pages) == max(1, -(-n // limit))
    finally:
        db.close()


FORGED = [
    "",
    "!!!!",
    "not a cursor",
    "x" * 600,
    base64.urlsafe_b64encode(b"\xff\xfe garbage").decode(),
    # A tuple the layer can read but not write: an incomplete versionstamp.
    base64.urlsafe_b64encode(b"\x33" + b"\xff" * 10 + b"\x00\x00").decode().rstrip("="),
    # A valid key spelt non-canonically (the integer 0 as a one-byte positive int).
    base64.urlsafe_b64encode(b"\x15\x00").decode().rstrip("="),
    encode_cursor((1,)) + "!",
]


@pytest.mark.parametrize("cursor", FORGED)
def test_a_forged_cursor_raises_invalid_cursor(db, repo, cursor):
    fill(db, repo, 3)
    with pytest.raises(InvalidCursor):
        db.transact(lambda tr: repo.page_by_index(tr, "by_owner", (OWNER,), limit=2, cursor=cursor))


def test_a_cursor_cannot_reach_outside_the_paged_prefix(db, repo):
    fill(db, repo, 3)
    theirs = fill(db, repo, 3, owner=OTHER)
    # A well-formed cursor naming a position in another owner's range pages
    # only within OWNER's prefix: it never returns the other owner's records.
    cursor = encode_cursor((OTHER, theirs[0].id))
    for reverse in (False, True):
        page = db.transact(
            lambda tr, r=reverse: repo.page_by_index(
                tr, "by_owner", (OWNER,), limit=10, cursor=cursor, reverse=r
            )
        )
        assert not {w.id for w in page.items} & {w.id for w in theirs}


def test_the_scan_reads_records_in_key_order_after_a_key(db, repo):
    widgets = sorted(fill(db, repo, 5), key=lambda w: w.id)
    assert db.transact(lambda tr: repo.scan(tr, limit=2)) == widgets[:2]
    after = repo.key((widgets[1].id,))
    assert db.transact(lambda tr: repo.scan(tr, after=after)) == widgets[2:]


def test_test_repositories_live_outside_the_application_root(db, repo):
    w = widget("X")
    db.transact(lambda tr: repo.insert(tr, w))
    assert all_pairs(db, root_of(repo))  # sanity: it is stored where we look
    assert not repo.space.key().startswith(fdbtuple.pack(("coditect",)))
