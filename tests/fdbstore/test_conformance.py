"""One conformance suite, run against every backend (memory, embedded, foundationdb)."""

from __future__ import annotations

import threading
import time

import pytest

from fdbstore import errors
from fdbstore.database import transactional
from fdbstore.transaction import decode_int, encode_int


def put(db, items):
    db.transact(lambda tr: tr.set_many(items))


def keys_of(rows):
    return [kv.key for kv in rows]


class TestOrdering:
    def test_range_is_in_raw_byte_order_with_nul_and_ff_edges(self, db, space):
        p = space.key()
        raw = [
            p + b"\x00",
            p + b"\x00\x00",
            p + b"\x01",
            p + b"a",
            p + b"a\x00",
            p + b"\xfe",
            p + b"\xff",
            p + b"\xff\xff",
        ]
        put(db, [(k, b"v") for k in reversed(raw)])
        rows = db.transact(lambda tr: tr.get_range_startswith(p))
        assert keys_of(rows) == sorted(raw)

    def test_reverse_and_limit(self, db, space):
        keys = [space.pack((i,)) for i in range(10)]
        put(db, [(k, str(i).encode()) for i, k in enumerate(keys)])
        b, e = space.range().start, space.range().stop
        assert keys_of(db.transact(lambda tr: tr.get_range(b, e, limit=3))) == keys[:3]
        assert (
            keys_of(db.transact(lambda tr: tr.get_range(b, e, limit=3, reverse=True)))
            == keys[::-1][:3]
        )
        assert keys_of(db.transact(lambda tr: tr.get_range(b, e, reverse=True))) == keys[::-1]

    def test_range_end_is_exclusive(self, db, space):
        keys = [space.pack((i,)) for i in range(3)]
        put(db, [(k, b"x") for k in keys])
        assert keys_of(db.transact(lambda tr: tr.get_range(keys[0], keys[2]))) == keys[:2]

    # Row limits as a FoundationDB 7.3.79 cluster answers them (issue 15):
    # 0 and -1 mean no limit, other negatives are 2012, positives that many rows.
    @pytest.mark.parametrize(("limit", "count"), [(0, 5), (-1, 5), (2, 2), (5, 5), (9, 5)])
    def test_range_limits_read_as_foundationdb_does(self, db, space, limit, count):
        keys = [space.pack((i,)) for i in range(5)]
        put(db, [(k, b"v") for k in keys])
        b, e = space.range().start, space.range().stop

        def body(tr):
            return [
                keys_of(reads.get_range(b, e, limit=limit, reverse=reverse))
                for reads in (tr, tr.snapshot)
                for reverse in (False, True)
            ]

        forward, backward = keys[:count], keys[::-1][:count]
        assert db.transact(body) == [forward, backward, forward, backward]

    @pytest.mark.parametrize("limit", [-2, -5, -(2**31)])
    def test_other_negative_limits_are_2012(self, db, space, limit):
        for snapshot in (False, True):

            def body(tr, snapshot=snapshot):
                reads = tr.snapshot if snapshot else tr
                return reads.get_range_startswith(space.key(), limit=limit)

            with pytest.raises(errors.FDBError) as info:
                db.transact(body)
            assert (info.value.code, info.value.description) == (2012, "Range limits not valid")


class TestReadYourWrites:
    def test_get_sees_own_set_and_clear(self, db, space):
        k = space.pack(("k",))
        put(db, [(k, b"old")])

        def body(tr):
            assert tr.get(k) == b"old"
            tr.set(k, b"new")
            assert tr.get(k) == b"new"
            tr.clear(k)
            assert tr.get(k) is None
            tr.set(k, b"again")
            return tr.get(k)

        assert db.transact(body) == b"again"

    def test_range_merges_own_writes_with_stored(self, db, space):
        a, b, c, d = (space.pack((x,)) for x in "abcd")
        put(db, [(a, b"1"), (c, b"3")])

        def body(tr):
            tr.set(b, b"2")
            tr.clear(c)
            tr.set(d, b"4")
            return tr.get_range_startswith(space.key())

        assert [(kv.key, kv.value) for kv in db.transact(body)] == [(a, b"1"), (b, b"2"), (d, b"4")]

    def test_range_with_limit_and_reverse_sees_own_writes(self, db, space):
        keys = [space.pack((i,)) for i in range(6)]
        put(db, [(k, b"s") for k in keys[::2]])

        def body(tr):
            for k in keys[1::2]:
                tr.set(k, b"w")
            return tr.get_range_startswith(space.key(), limit=4, reverse=True)

        assert keys_of(db.transact(body)) == keys[::-1][:4]


class TestClearRange:
    def test_clear_range_removes_exactly_the_range(self, db, space):
        keys = [space.pack((i,)) for i in range(5)]
        put(db, [(k, b"x") for k in keys])
        db.transact(lambda tr: tr.clear_range(keys[1], keys[4]))
        assert keys_of(db.transact(lambda tr: tr.get_range_startswith(space.key()))) == [
            keys[0],
            keys[4],
        ]

    def test_clear_range_hides_stored_keys_and_own_writes_in_the_same_transaction(self, db, space):
        keys = [space.pack((i,)) for i in range(4)]
        put(db, [(keys[0], b"x"), (keys[1], b"x")])

        def body(tr):
            tr.set(keys[2], b"y")
            tr.clear_range_startswith(space.key())
            tr.set(keys[3], b"z")
            return keys_of(tr.get_range_startswith(space.key())), tr.get(keys[0])

        assert db.transact(body) == ([keys[3]], None)
        assert keys_of(db.transact(lambda tr: tr.get_range_startswith(space.key()))) == [keys[3]]


class TestAtomicAdd:
    def test_add_to_missing_and_existing(self, db, space):
        k = space.pack(("counter",))
        db.transact(lambda tr: tr.add(k, encode_int(5)))
        db.transact(lambda tr: tr.add(k, encode_int(-2)))
        assert decode_int(db.transact(lambda tr: tr.get(k))) == 3

    def test_add_is_visible_to_own_reads(self, db, space):
        k = space.pack(("counter",))
        put(db, [(k, encode_int(10))])

        def body(tr):
            tr.add(k, encode_int(1))
            tr.add(k, encode_int(1))
            return decode_int(tr.get(k))

        assert db.transact(body) == 12

    def test_concurrent_adds_do_not_conflict(self, db, space):
        k = space.pack(("counter",))
        t1, t2 = db.create_transaction(), db.create_transaction()
        t1.get(space.pack(("other",)))
        t2.get(space.pack(("other",)))
        t1.add(k, encode_int(1))
        t2.add(k, encode_int(1))
        t1.commit()
        t2.commit()
        assert decode_int(db.transact(lambda tr: tr.get(k))) == 2


class TestLimits:
    def test_key_of_exactly_the_limit_commits(self, db):
        key = b"conformance-limit-" + b"k" * (10_000 - 18)
        assert len(key) == 10_000
        db.transact(lambda tr: tr.set(key, b"v"))
        assert db.transact(lambda tr: tr.get(key)) == b"v"
        db.transact(lambda tr: tr.clear(key))

    def test_key_over_the_limit_is_2102_by_commit(self, db, space):
        key = space.key() + b"k" * (10_001 - len(space.key()))
        with pytest.raises(errors.FDBError) as info:
            db.transact(lambda tr: tr.set(key, b"v"))
        assert info.value.code == 2102

    def test_value_over_the_limit_is_2103_by_commit(self, db, space):
        with pytest.raises(errors.FDBError) as info:
            db.transact(lambda tr: tr.set(space.pack(("v",)), b"x" * 100_001))
        assert info.value.code == 2103

    def test_value_of_exactly_the_limit_commits(self, db, space):
        db.transact(lambda tr: tr.set(space.pack(("v",)), b"x" * 100_000))
        assert len(db.transact(lambda tr: tr.get(space.pack(("v",))))) == 100_000

    def test_transaction_over_ten_megabytes_is_2101(self, db, space):
        def body(tr):
            for i in range(110):
                tr.set(space.pack((i,)), b"x" * 99_000)

        with pytest.raises(errors.FDBError) as info:
            db.transact(body)
        assert info.value.code == 2101
        assert db.transact(lambda tr: tr.get_range_startswith(space.key(), limit=1)) == []

    @pytest.mark.slow
    def test_transaction_older_than_five_seconds_is_1007(self, db, space):
        tr = db.create_transaction()
        tr.get(space.pack(("k",)))
        time.sleep(5.2)
        with pytest.raises(errors.FDBError) as info:
            tr.get(space.pack(("k",)))
            tr.set(space.pack(("k",)), b"v")
            tr.commit()
        assert info.value.code in (1007, 1031)
        tr.reset()


class TestConflicts:
    def test_conflicting_commit_raises_1020(self, db, space):
        k = space.pack(("k",))
        put(db, [(k, b"0")])
        t1, t2 = db.create_transaction(), db.create_transaction()
        t1.get(k)
        t2.get(k)
        t1.set(k, b"1")
        t2.set(k, b"2")
        t1.commit()
        with pytest.raises(errors.FDBError) as info:
            t2.commit()
        assert info.value.code == 1020
        assert info.value.retryable

    def test_range_read_conflicts_with_insert_into_the_range(self, db, space):
        t1, t2 = db.create_transaction(), db.create_transaction()
        t1.get_range_startswith(space.key())
        t2.set(space.pack(("new",)), b"x")
        t2.commit()
        t1.set(space.pack(("other",)), b"y")
        with pytest.raises(errors.FDBError) as info:
            t1.commit()
        assert info.value.code == 1020

    def test_snapshot_reads_do_not_conflict(self, db, space):
        k = space.pack(("k",))
        put(db, [(k, b"0")])
        t1, t2 = db.create_transaction(), db.create_transaction()
        t1.snapshot.get(k)
        t1.snapshot.get_range_startswith(space.key())
        t2.get(k)
        t1.set(space.pack(("mine",)), b"1")
        t2.set(k, b"2")
        t2.commit()
        t1.commit()

    def test_snapshot_read_sees_a_consistent_version(self, db, space):
        k = space.pack(("k",))
        put(db, [(k, b"0")])
        t1 = db.create_transaction()
        assert t1.snapshot.get(k) == b"0"
        put(db, [(k, b"1")])
        assert t1.snapshot.get(k) == b"0"
        t1.reset()

    def test_disjoint_writes_do_not_conflict(self, db, space):
        a, b = space.pack(("a",)), space.pack(("b",))
        t1, t2 = db.create_transaction(), db.create_transaction()
        t1.get(a)
        t2.get(b)
        t1.set(a, b"1")
        t2.set(b, b"2")
        t1.commit()
        t2.commit()


class TestRetryLoop:
    def test_loop_retries_a_conflict_and_succeeds(self, db, space):
        k = space.pack(("k",))
        put(db, [(k, encode_int(0))])
        calls = []

        def body(tr):
            calls.append(1)
            value = decode_int(tr.get(k))
            if len(calls) == 1:  # another writer commits between our read and commit
                db.transact(lambda other: other.set(k, encode_int(100)))
            tr.set(k, encode_int(value + 1))
            return value

        assert db.transact(body) == 100
        assert len(calls) == 2
        assert decode_int(db.transact(lambda tr: tr.get(k))) == 101

    def test_loop_gives_up_after_its_bound_with_the_last_error(self, db, space):
        db.retry_limit = 3
        calls = []

        def body(tr):
            calls.append(1)
            raise errors.FDBError(errors.NOT_COMMITTED)

        with pytest.raises(errors.FDBError) as info:
            db.transact(body)
        assert info.value.code == 1020
        assert len(calls) == 4  # the first try and three retries

    @pytest.mark.parametrize("code", sorted(errors.RETRY_TABLE))
    def test_each_code_is_retried_or_raised_as_the_table_says(self, db, space, code):
        # On FoundationDB the binding's on_error decides: it must agree.
        k = space.pack(("k",))
        calls = []

        def body(tr):
            calls.append(1)
            tr.set(k, b"%d" % len(calls))
            if len(calls) == 1:
                raise errors.FDBError(code)

        if errors.RETRY_TABLE[code].retryable:
            db.transact(body)
            assert (len(calls), db.transact(lambda tr: tr.get(k))) == (2, b"2")
        else:
            with pytest.raises(errors.FDBError) as info:
                db.transact(body)
            assert (info.value.code, len(calls)) == (code, 1)
            assert db.transact(lambda tr: tr.get(k)) is None

    def test_non_retryable_errors_are_not_retried(self, db, space):
        calls = []

        def body(tr):
            calls.append(1)
            tr.set(space.pack(("v",)), b"x" * 100_001)

        with pytest.raises(errors.FDBError):
            db.transact(body)
        assert len(calls) == 1

    def test_transactional_functions_compose(self, db, space):
        @transactional
        def write(tr, key, value):
            tr.set(key, value)

        @transactional
        def write_two(tr):
            write(tr, space.pack(("a",)), b"1")
            write(tr, space.pack(("b",)), b"2")
            raise RuntimeError("abort after both writes")

        with pytest.raises(RuntimeError):
            write_two(db)
        assert db.transact(lambda tr: tr.get_range_startswith(space.key())) == []
        write(db, space.pack(("a",)), b"1")
        assert db.transact(lambda tr: tr.get(space.pack(("a",)))) == b"1"

    def test_threads_incrementing_one_key_lose_no_update(self, db, space):
        k = space.pack(("counter",))

        @transactional
        def increment(tr):
            tr.set(k, encode_int(decode_int(tr.get(k)) + 1))

        def worker():
            for _ in range(50):
                increment(db)

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert decode_int(db.transact(lambda tr: tr.get(k))) == 200
