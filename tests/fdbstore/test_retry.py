"""The retry table in fdbstore/errors.py, and the FoundationDB backend's retry loop.

``MEASURED`` is what the binding's predicates answered on a FoundationDB 7.3.79
cluster (issue 15). The loop is driven here through a fake of the binding's
transaction (no C library needed): its ``commit`` fails with a scripted code,
and its ``on_error`` answers as 7.3.79's does -- back off for a retryable code,
fail with any other.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from fdbstore import errors
from fdbstore.backends import foundationdb

# code: (is_retryable, is_maybe_committed), measured through fdb.predicates.
MEASURED = {
    1007: (True, False),
    1009: (True, False),
    1020: (True, False),
    1021: (True, True),
    1037: (True, False),
    1038: (True, False),
    1039: (True, True),
    1042: (True, False),
    1051: (True, False),
    1078: (True, False),
    1213: (True, False),
    1004: (False, False),
    1025: (False, False),
    1031: (False, False),
    2012: (False, False),
}
NOT_IN_TABLE = 2101  # transaction_too_large: on_error raises it, so must the loop


class FakeBindingError(Exception):
    def __init__(self, code: int) -> None:
        self.code = code
        self.description = b"fake description"


class FakeFuture:
    def __init__(self, code: int | None) -> None:
        self.code = code

    def wait(self) -> None:
        if self.code is not None:
            raise FakeBindingError(self.code)


class FakeTransaction:
    """The binding's ``Transaction``, as far as the retry loop touches it."""

    def __init__(self, commit_failures: list[int]) -> None:
        self.commit_failures = commit_failures
        self.log: list[tuple] = []

    def set(self, key: bytes, value: bytes) -> None:
        self.log.append(("set", key))

    def commit(self) -> FakeFuture:
        code = self.commit_failures.pop(0) if self.commit_failures else None
        self.log.append(("commit", code))
        return FakeFuture(code)

    def on_error(self, code: int) -> FakeFuture:
        self.log.append(("on_error", code))
        retryable = MEASURED.get(code, (False, False))[0]
        return FakeFuture(None if retryable else code)

    def reset(self) -> None:
        self.log.append(("reset",))


def fake_database(monkeypatch, tr: FakeTransaction, retry_limit: int = 20):
    handle = SimpleNamespace(
        options=SimpleNamespace(set_transaction_timeout=lambda ms: None),
        create_transaction=lambda: tr,
    )
    binding = SimpleNamespace(
        FDBError=FakeBindingError,
        StreamingMode=SimpleNamespace(want_all=-2),
        open=lambda cluster_file: handle,
    )
    monkeypatch.setattr(foundationdb, "load_binding", lambda api_version: binding)
    return foundationdb.FoundationDBDatabase(cluster_file="fake.cluster", retry_limit=retry_limit)


def test_the_table_is_what_7_3_79_measured():
    table = {code: tuple(retry) for code, retry in errors.RETRY_TABLE.items()}
    assert table == MEASURED
    assert sorted(errors.MAYBE_COMMITTED) == [1021, 1039]


def test_the_table_agrees_with_the_binding_predicates_where_the_library_is_present():
    try:
        fdb = foundationdb.load_binding(730)
    except errors.StoreUnavailable as exc:
        pytest.skip(f"needs the FoundationDB C library: {exc}")
    for code, retry in errors.RETRY_TABLE.items():
        error = fdb.FDBError(code)
        answered = (fdb.predicates.is_retryable(error), fdb.predicates.is_maybe_committed(error))
        assert answered == tuple(retry), code


@pytest.mark.parametrize("code", [*sorted(MEASURED), NOT_IN_TABLE])
def test_every_error_goes_to_the_binding_on_error_which_decides(monkeypatch, code):
    tr = FakeTransaction(commit_failures=[code])
    db = fake_database(monkeypatch, tr)
    calls = []

    def body(tr):
        calls.append(1)
        tr.set(b"k", b"v")
        return "done"

    if MEASURED.get(code, (False, False))[0]:
        assert db.transact(body) == "done"
        assert len(calls) == 2
        assert tr.log == [
            ("set", b"k"), ("commit", code), ("on_error", code), ("set", b"k"), ("commit", None)
        ]  # fmt: skip
    else:
        with pytest.raises(errors.FDBError) as info:
            db.transact(body)
        assert (info.value.code, len(calls)) == (code, 1)
        assert tr.log == [("set", b"k"), ("commit", code), ("on_error", code), ("reset",)]


def test_retries_count_against_the_retry_limit(monkeypatch):
    tr = FakeTransaction(commit_failures=[errors.TAG_THROTTLED] * 10)
    db = fake_database(monkeypatch, tr, retry_limit=3)
    with pytest.raises(errors.FDBError) as info:
        db.transact(lambda tr: tr.set(b"k", b"v"))
    assert info.value.code == errors.TAG_THROTTLED
    assert [entry[0] for entry in tr.log].count("commit") == 4  # the first try and 3 retries
    assert [entry[0] for entry in tr.log].count("on_error") == 3
    assert tr.log[-1] == ("reset",)


def test_an_on_error_that_fails_otherwise_raises_its_own_code(monkeypatch):
    class TimingOut(FakeTransaction):
        def on_error(self, code: int) -> FakeFuture:
            super().on_error(code)
            return FakeFuture(errors.TRANSACTION_TIMED_OUT)  # the timeout ran out in the backoff

    tr = TimingOut(commit_failures=[errors.NOT_COMMITTED])
    db = fake_database(monkeypatch, tr)
    with pytest.raises(errors.FDBError) as info:
        db.transact(lambda tr: tr.set(b"k", b"v"))
    assert info.value.code == errors.TRANSACTION_TIMED_OUT
