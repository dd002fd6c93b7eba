"""Real OS processes sharing one embedded store: no lost update, one unique winner.

Children are started with "spawn", never "fork": the FoundationDB client is not
fork-safe, and the habit keeps these tests valid for that backend too.
"""

from __future__ import annotations

import multiprocessing
import queue

import pytest

from fdbstore.backends.embedded import EmbeddedDatabase
from fdbstore.transaction import decode_int
from tests.fdbstore.helpers import workers

TIMEOUT_S = 60


def run_children(target, arg_lists):
    """Start one spawned child per argument list; return what each reported."""
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(len(arg_lists), timeout=TIMEOUT_S)
    results = ctx.Queue()
    children = [ctx.Process(target=target, args=(*args, barrier, results)) for args in arg_lists]
    for child in children:
        child.start()
    try:
        reports = [results.get(timeout=TIMEOUT_S) for _ in children]
    except queue.Empty:
        pytest.fail(f"a child did not report; exit codes {[c.exitcode for c in children]}")
    finally:
        for child in children:
            child.join(timeout=TIMEOUT_S)
            if child.is_alive():
                child.kill()
    assert [child.exitcode for child in children] == [0] * len(children)
    return reports


@pytest.fixture
def store_path(tmp_path):
    path = str(tmp_path / "shared.sqlite3")
    EmbeddedDatabase(path=path, synchronous="NORMAL").close()  # create the schema once
    return path


def read(path, key):
    db = EmbeddedDatabase(path=path, synchronous="NORMAL")
    try:
        return db.transact(lambda tr: tr.get(key))
    finally:
        db.close()


def test_four_processes_incrementing_one_key_lose_no_update(store_path):
    key = b"processes/counter"
    attempts = run_children(workers.increment, [(store_path, key, 500)] * 4)
    assert decode_int(read(store_path, key)) == 2000
    assert sum(attempts) >= 2000  # conflicts show up as extra attempts


def test_a_forked_child_never_reuses_the_parents_connections(store_path):
    # "fork" on purpose: this is the embedded backend's own guard for servers
    # that fork after opening the store.
    db = EmbeddedDatabase(path=store_path, synchronous="NORMAL")
    db.transact(lambda tr: tr.set(b"fork/k", b"parent"))
    open_snapshot = db.create_transaction()
    assert open_snapshot.get(b"fork/k") == b"parent"  # holds a connection across the fork
    parents = {id(conn) for conn in db._pool} | {id(open_snapshot._conn)}

    def child() -> None:
        open_snapshot.reset()
        db.transact(lambda tr: tr.set(b"fork/k", b"child"))
        assert not {id(conn) for conn in db._pool} & parents

    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    process.join(timeout=TIMEOUT_S)
    assert process.exitcode == 0
    assert db.transact(lambda tr: tr.get(b"fork/k")) == b"child"
    open_snapshot.reset()
    db.close()


def test_racing_claims_of_a_unique_value_have_exactly_one_winner(store_path):
    key = b"processes/unique/alice@example.com"
    ids = [f"worker-{i}".encode() for i in range(8)]
    reports = run_children(workers.claim, [(store_path, key, me) for me in ids])
    winners = [me for me, _, won in reports if won]
    assert len(winners) == 1
    assert {holder for _, holder, _ in reports} == {winners[0]}
    assert read(store_path, key) == winners[0]
