"""Watches, in the conformance suite: every backend wakes a waiter on a change.

A watch is armed when ``db.watch(key)`` returns; it fires after a later
commit writing the key, may fire spuriously, and is shared: one armed watch
per key per process however many waiters hold it.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time

import pytest

from fdbstore import errors
from fdbstore.backends.embedded import EmbeddedDatabase
from fdbstore.transaction import encode_int

WAIT_S = 5.0
QUIET_S = 0.15


def later(seconds, fn):
    timer = threading.Timer(seconds, fn)
    timer.start()
    return timer


class TestWatches:
    def test_a_set_by_another_transaction_fires_it(self, db, space):
        key = space.pack(("k",))
        with db.watch(key) as watch:
            later(0.05, lambda: db.transact(lambda tr: tr.set(key, b"v")))
            assert watch.wait(WAIT_S)

    def test_it_does_not_fire_without_a_write_to_its_key(self, db, space):
        key, other = space.pack(("k",)), space.pack(("other",))
        with db.watch(key) as watch:
            db.transact(lambda tr: tr.set(other, b"v"))
            assert not watch.wait(QUIET_S)

    @pytest.mark.parametrize("change", ["clear", "add", "clear_range"])
    def test_clears_and_atomic_adds_fire_it(self, db, space, change):
        key = space.pack(("k",))
        db.transact(lambda tr: tr.set(key, encode_int(1)))
        writes = {
            "clear": lambda tr: tr.clear(key),
            "add": lambda tr: tr.add(key, encode_int(1)),
            "clear_range": lambda tr: tr.clear_range_startswith(space.key()),
        }
        with db.watch(key) as watch:
            db.transact(writes[change])
            assert watch.wait(WAIT_S)

    def test_waiters_of_one_key_share_one_armed_watch(self, db, space):
        key = space.pack(("k",))
        first, second = db.watch(key), db.watch(key)
        assert db.watch_hub().armed_keys().count(key) == 1
        db.transact(lambda tr: tr.set(key, b"v"))
        assert first.wait(WAIT_S) and second.wait(WAIT_S)
        first.close(), second.close()
        assert key not in db.watch_hub().armed_keys()

    def test_a_fired_watch_is_replaced_by_a_fresh_one(self, db, space):
        key = space.pack(("k",))
        with db.watch(key) as watch:
            db.transact(lambda tr: tr.set(key, b"1"))
            assert watch.wait(WAIT_S)
        with db.watch(key) as again:
            assert not again.fired  # a new watch, armed after that commit

    def test_closing_every_waiter_disarms_the_key(self, db, space):
        key = space.pack(("k",))
        db.watch(key).close()
        assert key not in db.watch_hub().armed_keys()

    def test_an_async_waiter_holds_no_thread(self, db, space):
        key = space.pack(("k",))

        async def main():
            with db.watch(key) as watch:
                quiet = await watch.wait_async(QUIET_S)
                later(0.05, lambda: db.transact(lambda tr: tr.set(key, b"v")))
                return quiet, await watch.wait_async(WAIT_S)

        assert asyncio.run(main()) == (False, True)

    def test_an_oversized_key_is_refused_as_foundationdb_does(self, db):
        with pytest.raises(errors.FDBError) as caught:
            db.watch(b"k" * 10_001)
        assert caught.value.code == errors.KEY_TOO_LARGE


WRITER = """
import sys
from fdbstore.backends.embedded import EmbeddedDatabase
db = EmbeddedDatabase(path=sys.argv[1], synchronous="NORMAL")
db.transact(lambda tr: tr.set(bytes.fromhex(sys.argv[2]), b"from another process"))
db.close()
"""


def test_embedded_watch_wakes_on_another_processes_commit(tmp_path):
    path = str(tmp_path / "shared.sqlite3")
    db = EmbeddedDatabase(path=path, synchronous="NORMAL")
    key = b"watched"
    try:
        with db.watch(key) as watch:
            started = time.monotonic()
            subprocess.run([sys.executable, "-c", WRITER, path, key.hex()], check=True, timeout=60)
            assert watch.wait(WAIT_S), "another process's commit did not wake the watch"
            assert time.monotonic() - started < 60
    finally:
        db.close()


def test_embedded_poller_stops_once_no_watch_is_armed(tmp_path, monkeypatch):
    from fdbstore.backends import embedded_watch

    monkeypatch.setattr(embedded_watch, "LINGER_S", 0.05)
    db = EmbeddedDatabase(path=str(tmp_path / "s.sqlite3"), synchronous="NORMAL")
    try:
        db.watch(b"k").close()
        hub = db.watch_hub()
        deadline = time.monotonic() + WAIT_S
        while hub._thread is not None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert hub._thread is None
    finally:
        db.close()
