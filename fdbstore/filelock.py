"""The embedded store's writer lock: an exclusive ``flock`` on a sidecar file.

Why: SQLite's own writer lock (``BEGIN IMMEDIATE``) is waited for by its
default busy handler, which sleeps in fixed steps (1, 2, 5, 10, 15, 20, 25, 25,
25, 50, 50, 100 ms...) and retries; it is never woken when the lock is freed. A
waiting writer therefore sleeps long past the holder's commit, and under
steady contention a writer that keeps losing the retry race can wait seconds
(``python -m bench.commit_contention``: p99 0.6 s and max 3.4 s with four
processes committing, where a commit takes 4 ms; figures in docs/STORE.md).

``flock(LOCK_EX)`` blocked in the kernel is woken as soon as the holder
releases (or dies: the kernel drops the lock of a SIGKILLed process with its
last descriptor). The one thing it lacks is a timeout, which the store must
have (1031 after ``TIMEOUT_MS``). So:

- uncontended (the common case): one ``flock(LOCK_EX | LOCK_NB)`` and done;
- contended: a helper thread of this process makes the blocking ``flock`` and
  hands the lock to the waiting thread, which waits on an ``Event`` with the
  timeout. A waiter that times out (or is interrupted) withdraws; if the helper
  gets the lock with nobody waiting it unlocks at once, or hands it to the next
  waiter of this process.

Threads of one process first serialise on a ``threading.Lock`` (``flock`` locks
belong to the open file description, shared by every thread of a process).
After ``fork()`` the child drops its inherited state and opens its own
descriptor: an inherited descriptor shares the parent's lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
import weakref


class LockTimeout(Exception):
    """The lock could not be had within the timeout."""


_locks: weakref.WeakSet[WriterLock] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for lock in list(_locks):
        inherited = lock._fd
        lock._forget()
        if inherited is not None:
            # Closing this copy leaves the parent's lock alone: flock drops a
            # lock only on LOCK_UN or when every copy of the descriptor is closed.
            with contextlib.suppress(OSError):
                os.close(inherited)


os.register_at_fork(after_in_child=_after_fork_in_child)


class WriterLock:
    """An inter-process exclusive lock on ``path``, with a timeout, fair to threads."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._forget()
        _locks.add(self)

    def _forget(self) -> None:
        # Fresh state: in a forked child the parent's threads (the helper, a
        # holder) do not exist, and the inherited descriptor is the parent's.
        self._threads = threading.Lock()  # one thread of this process at a time
        self._mutex = threading.Lock()  # guards _fd, _helper and _waiter
        self._fd: int | None = None
        self._helper = False  # a helper thread is blocked in flock(LOCK_EX)
        self._waiter: threading.Event | None = None

    def _descriptor(self) -> int:
        fd = self._fd
        if fd is None:
            fd = self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        return fd

    def acquire(self, timeout: float) -> None:
        """Take the lock within ``timeout`` seconds, or raise ``LockTimeout``."""
        deadline = time.monotonic() + timeout
        if not self._threads.acquire(timeout=max(timeout, 0)):
            raise LockTimeout
        try:
            with self._mutex:
                fd = self._descriptor()
                if not self._helper:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        return
                    except BlockingIOError:
                        pass
                waiter = self._waiter = threading.Event()
                if not self._helper:
                    self._helper = True
                    threading.Thread(
                        target=self._wait_in_kernel,
                        args=(fd,),
                        name="fdbstore-writer-lock",
                        daemon=True,
                    ).start()
            self._await(waiter, deadline)
        except BaseException:
            self._threads.release()
            raise

    def _await(self, waiter: threading.Event, deadline: float) -> None:
        try:
            if waiter.wait(max(deadline - time.monotonic(), 0)):
                return
        except BaseException:  # KeyboardInterrupt while waiting
            if not self._withdraw(waiter):
                self._unlock()  # handed over meanwhile: give it back
            raise
        if self._withdraw(waiter):
            raise LockTimeout
        # else handed over between the timeout and the withdrawal: ours

    def _withdraw(self, waiter: threading.Event) -> bool:
        """Stop waiting: True if withdrawn, False if the lock was handed over already."""
        with self._mutex:
            if self._waiter is waiter:
                self._waiter = None
                return True
            return False

    def _wait_in_kernel(self, fd: int) -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            with self._mutex:
                self._helper = False  # the waiter times out
            raise
        with self._mutex:
            self._helper = False
            waiter, self._waiter = self._waiter, None
            if waiter is None:  # the waiter gave up: nobody in this process wants it
                fcntl.flock(fd, fcntl.LOCK_UN)
            else:
                waiter.set()

    def release(self) -> None:
        try:
            self._unlock()
        finally:
            self._threads.release()

    def _unlock(self) -> None:
        with self._mutex:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        """Close the descriptor (releasing the lock) if no thread uses it."""
        if not self._threads.acquire(blocking=False):
            return
        try:
            with self._mutex:
                if self._fd is not None and not self._helper:
                    os.close(self._fd)
                    self._fd = None
        finally:
            self._threads.release()
