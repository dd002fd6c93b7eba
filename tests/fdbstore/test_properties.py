"""Property tests: tuple-key order, and the two local backends agreeing byte for byte."""

from __future__ import annotations

import itertools
import uuid
from unittest import mock

import pytest
from fdb import tuple as fdbtuple
from fdb.subspace_impl import Subspace
from hypothesis import given, settings
from hypothesis import strategies as st

from fdbstore import buffered, conflicts
from fdbstore.backends.embedded import EmbeddedDatabase
from fdbstore.backends.memory import MemoryDatabase
from fdbstore.transaction import strinc

SPACE = Subspace(("properties",))
FEW = settings(max_examples=50, deadline=None)

# Bounds past 2**64 reach the tuple layer's big-int encodings too.
ints = st.integers(min_value=-(2**70), max_value=2**70)
texts = st.text(max_size=6) | st.sampled_from(["", "\x00", "a", "a\x00", "a\x00b", "\uffff"])
uuids = st.uuids()


def assert_packed_order_is_tuple_order(tuples):
    assert sorted(tuples, key=SPACE.pack) == sorted(tuples)


@FEW
@given(st.lists(st.lists(ints, max_size=3).map(tuple), min_size=2, max_size=12))
def test_int_keys_sort_like_the_ints(tuples):
    assert_packed_order_is_tuple_order(tuples)


@FEW
@given(st.lists(st.lists(texts, max_size=3).map(tuple), min_size=2, max_size=12))
def test_string_keys_sort_like_the_strings_even_with_nul(tuples):
    assert_packed_order_is_tuple_order(tuples)


@FEW
@given(st.lists(st.lists(uuids, max_size=3).map(tuple), min_size=2, max_size=12))
def test_uuid_keys_sort_like_the_uuids(tuples):
    assert_packed_order_is_tuple_order(tuples)


@FEW
@given(st.lists(st.tuples(ints, texts, uuids), min_size=2, max_size=12))
def test_mixed_tuple_keys_sort_like_the_tuples_and_round_trip(tuples):
    assert_packed_order_is_tuple_order(tuples)
    for t in tuples:
        assert SPACE.unpack(SPACE.pack(t)) == t


@FEW
@given(st.lists(st.tuples(st.binary(max_size=6), st.binary(max_size=6)), max_size=5))
def test_embedded_commit_log_packing_is_the_tuple_layers_bytes(ranges):
    # The commit log is packed by hand for speed; the bytes must not drift.
    packed = conflicts.pack_ranges(ranges)
    assert packed == fdbtuple.pack(tuple(bound for span in ranges for bound in span))
    assert conflicts.unpack_ranges(packed) == ranges


# -- memory and embedded agree ----------------------------------------------------------

# Suffixes built from the bytes where ordering bugs live: NUL, 0x01, 0xfe, 0xff.
suffixes = st.lists(st.sampled_from([b"\x00", b"\x01", b"a", b"\xfe", b"\xff"]), max_size=4).map(
    b"".join
) | st.binary(max_size=4)
values = st.binary(min_size=0, max_size=3)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("set"), suffixes, values),
        st.tuples(st.just("clear"), suffixes),
        st.tuples(st.just("clear_range"), suffixes, suffixes).map(
            lambda op: (op[0], *sorted(op[1:]))
        ),
    ),
    max_size=6,
)
_prefixes = itertools.count()


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    db = EmbeddedDatabase(
        path=str(tmp_path_factory.mktemp("props") / "s.sqlite3"), synchronous="NORMAL"
    )
    yield db
    db.close()


def model_range(items, begin, end, limit, reverse):
    keys = sorted((k for k in items if begin <= k < end), reverse=reverse)
    keys = keys[:limit] if limit else keys
    return [(k, items[k]) for k in keys]


def apply_to_model(model, prefix, ops):
    """Apply ``ops`` to a dict standing in for the store."""
    for op in ops:
        if op[0] == "set":
            model[prefix + op[1]] = op[2]
        elif op[0] == "clear":
            model.pop(prefix + op[1], None)
        else:
            for key in [k for k in model if prefix + op[1] <= k < prefix + op[2]]:
                del model[key]


def apply_to_transaction(tr, prefix, ops):
    for op in ops:
        if op[0] == "set":
            tr.set(prefix + op[1], op[2])
        elif op[0] == "clear":
            tr.clear(prefix + op[1])
        else:
            tr.clear_range(prefix + op[1], prefix + op[2])


@FEW
@given(
    stored=st.dictionaries(suffixes, values, max_size=12),
    ops=operations,
    bounds=st.tuples(suffixes, suffixes | st.none()),
    limit=st.integers(min_value=0, max_value=8),
    reverse=st.booleans(),
    batch=st.sampled_from([1, 2, 3, 256]),
)
def test_memory_and_embedded_give_identical_ranges(
    embedded, stored, ops, bounds, limit, reverse, batch
):
    prefix = SPACE.pack((next(_prefixes), uuid.uuid4()))
    begin = prefix + bounds[0]
    end = strinc(prefix) if bounds[1] is None else prefix + bounds[1]
    begin, end = min(begin, end), max(begin, end)
    model = {prefix + k: v for k, v in stored.items()}
    apply_to_model(model, prefix, ops)
    expected = model_range(model, begin, end, limit, reverse)

    def body(tr):
        apply_to_transaction(tr, prefix, ops)
        return tr.get_range(begin, end, limit=limit, reverse=reverse)

    results = []
    # A small batch makes the range merge page through storage several times.
    with mock.patch.object(buffered, "_BATCH", batch):
        for db in (MemoryDatabase(), embedded):
            db.transact(lambda tr: tr.set_many((prefix + k, v) for k, v in stored.items()))
            in_transaction = db.transact(body)
            committed = db.transact(lambda tr: tr.get_range(begin, end, limit, reverse))
            results.append((in_transaction, committed))
    assert results[0] == results[1] == (expected, expected)
