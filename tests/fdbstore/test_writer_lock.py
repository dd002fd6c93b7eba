"""The embedded store's writer lock (``fdbstore.filelock``): an flock on a sidecar file.

Holders in other processes are plain ``python -c`` children that take the same
``flock`` a committing store takes, so they can be held, released and SIGKILLed
at will.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from fdbstore.backends.embedded import EmbeddedDatabase
from fdbstore.errors import TRANSACTION_TIMED_OUT, FDBError
from fdbstore.filelock import LockTimeout, WriterLock
from fdbstore.transaction import decode_int, encode_int

# Takes the lock, says so, then holds it until stdin closes (or it is killed).
HOLDER = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def store(tmp_path):
    db = EmbeddedDatabase(
        path=str(tmp_path / "store.sqlite3"), synchronous="NORMAL", timeout_ms=300
    )
    yield db
    db.close()


def hold(lock_path: str) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, lock_path],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "held"
    return child


def free_for_others(lock_path: str, within_s: float = 2.0) -> bool:
    """True if another open file description can take the lock within ``within_s``."""
    fd = os.open(lock_path, os.O_RDWR)
    try:
        deadline = time.monotonic() + within_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(fd, fcntl.LOCK_UN)
                return True
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return False
                time.sleep(0.01)
    finally:
        os.close(fd)


def test_a_commit_times_out_with_1031_while_another_process_holds_the_lock(store):
    lock_path = store.path + "-writelock"
    holder = hold(lock_path)
    try:
        start = time.monotonic()
        with pytest.raises(FDBError) as caught:
            store.transact(lambda tr: tr.set(b"k", b"v"))
        waited = time.monotonic() - start
        assert caught.value.code == TRANSACTION_TIMED_OUT
        assert 0.25 <= waited < 2.0
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    # The waiter withdrew: its helper thread, handed the lock once the holder
    # left, must give it back rather than keep it for nobody.
    assert free_for_others(lock_path)
    store.transact(lambda tr: tr.set(b"k", b"v"))
    assert store.transact(lambda tr: tr.get(b"k")) == b"v"


def test_a_waiting_commit_proceeds_as_soon_as_the_holder_releases(tmp_path):
    db = EmbeddedDatabase(path=str(tmp_path / "s.sqlite3"), synchronous="NORMAL", timeout_ms=5000)
    holder = hold(db.path + "-writelock")
    done = threading.Event()
    worker = threading.Thread(
        target=lambda: (db.transact(lambda tr: tr.set(b"k", b"v")), done.set())
    )
    worker.start()
    time.sleep(0.3)
    assert not done.is_set()  # it waits
    released = time.monotonic()
    holder.stdin.close()
    assert done.wait(2.0)
    woken_after = time.monotonic() - released
    worker.join()
    holder.wait(timeout=10)
    db.close()
    assert woken_after < 0.5  # woken by the kernel, not after a long sleep


def test_a_sigkilled_holder_does_not_block_others(tmp_path):
    db = EmbeddedDatabase(path=str(tmp_path / "s.sqlite3"), synchronous="NORMAL", timeout_ms=5000)
    holder = hold(db.path + "-writelock")
    outcome: list[object] = []
    worker = threading.Thread(
        target=lambda: outcome.append(db.transact(lambda tr: tr.set(b"k", b"v")) or "ok")
    )
    worker.start()
    time.sleep(0.2)
    killed = time.monotonic()
    holder.kill()  # SIGKILL: no chance to unlock; the kernel drops the lock
    holder.wait(timeout=10)
    worker.join(timeout=5)
    assert outcome == ["ok"]
    assert time.monotonic() - killed < 2.0
    assert db.transact(lambda tr: tr.get(b"k")) == b"v"
    db.close()


def test_the_lock_is_released_when_a_commit_fails_or_is_interrupted(store, monkeypatch):
    lock_path = store.path + "-writelock"

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(type(store), "_write_locked", interrupted)
    with pytest.raises(KeyboardInterrupt):
        store.transact(lambda tr: tr.set(b"k", b"v"))
    monkeypatch.undo()
    assert free_for_others(lock_path, within_s=0)
    store.transact(lambda tr: tr.set(b"k", b"v"))  # the thread lock was released too
    assert free_for_others(lock_path, within_s=0)


def test_an_interrupted_waiter_leaves_the_lock_free(tmp_path):
    lock = WriterLock(str(tmp_path / "lock"))
    holder = hold(lock.path)

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 0.1)
    try:
        with pytest.raises(KeyboardInterrupt):
            lock.acquire(5.0)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    holder.stdin.close()
    holder.wait(timeout=10)
    assert free_for_others(lock.path)  # the helper, handed the lock for nobody, gave it back
    lock.acquire(0.5)  # and this process can still take it
    lock.release()
    lock.close()


def test_threads_of_one_process_serialise_and_lose_no_update(tmp_path):
    db = EmbeddedDatabase(
        path=str(tmp_path / "s.sqlite3"), synchronous="NORMAL", retry_limit=1000, timeout_ms=5000
    )
    inside = 0
    most = 0
    guard = threading.Lock()
    real = type(db)._write_locked  # writes a batch of commits (fdbstore.groupcommit)

    def counted(self, *args):
        nonlocal inside, most
        with guard:
            inside += 1
            most = max(most, inside)
        try:
            return real(self, *args)
        finally:
            with guard:
                inside -= 1

    type(db)._write_locked = counted
    try:

        def bump(tr):
            tr.set(b"n", encode_int(decode_int(tr.get(b"n")) + 1))

        def run():
            for _ in range(50):
                db.transact(bump)

        threads = [threading.Thread(target=run) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        type(db)._write_locked = real
    assert decode_int(db.transact(lambda tr: tr.get(b"n"))) == 300
    assert most == 1
    db.close()


def test_a_forked_child_does_not_share_the_parents_lock(tmp_path):
    lock = WriterLock(str(tmp_path / "lock"))
    lock.acquire(1.0)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: the parent holds the lock, so this must time out
        code = 1
        try:
            try:
                lock.acquire(0.2)
            except LockTimeout:
                code = 0
            os.write(write_end, b"%d" % code)
        finally:
            os._exit(code)
    os.close(write_end)
    answer = os.read(read_end, 8)
    os.close(read_end)
    _, status = os.waitpid(pid, 0)
    lock.release()
    lock.close()
    assert answer == b"0"
    assert os.waitstatus_to_exitcode(status) == 0
    assert free_for_others(lock.path, within_s=0)
