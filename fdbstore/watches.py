"""Watches: wake a waiter when a key changes, without polling it.

``db.watch(key)`` returns a ``Watch`` that is armed when the call returns: it
fires after any commit made from then on that writes ``key`` (a set, clear,
atomic add or a clear of a range holding it). As with FoundationDB's
``tr.watch``, it may also fire when nothing changed, so a waiter always
re-reads. The race-free pattern is arm, read, wait::

    with db.watch(key) as watch:
        if (state := read(db)) is None:
            watch.wait(timeout)

One process keeps ONE armed watch per key (``WatchHub``), however many
waiters share it -- FoundationDB allows a bounded number of outstanding
watches per database (10,000 by default). A fired watch leaves the hub, so the
next ``watch(key)`` arms a fresh one. How a backend arms and learns of
changes is its own (``arm``/``disarm`` here; ``notify`` from its commits):

- memory: its commits call ``notify`` with their write ranges;
- embedded: its own commits notify at once, and one poller thread per open
  database follows other processes' commits through SQLite's
  ``PRAGMA data_version`` (``fdbstore/backends/embedded_watch.py``);
- foundationdb: one ``tr.watch(key)`` per armed key, committed once.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable
from typing import Any

Range = tuple[bytes, bytes]


class KeyWatch:
    """The one armed watch of a key in this process, shared by its waiters."""

    def __init__(self, key: bytes) -> None:
        self.key = key
        self.refs = 0
        self.handle: Any = None  # the backend's own arming state
        self._event = threading.Event()
        self._callbacks: list[Callable[[], None]] = []
        self._lock = threading.Lock()

    @property
    def fired(self) -> bool:
        return self._event.is_set()

    def fire(self) -> None:
        with self._lock:
            if self._event.is_set():
                return
            self._event.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback()

    def add_callback(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` (from any thread) when fired; at once if already fired."""
        with self._lock:
            if not self._event.is_set():
                self._callbacks.append(callback)
                return
        callback()

    def remove_callback(self, callback: Callable[[], None]) -> None:
        with self._lock:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

    def wait(self, timeout: float | None) -> bool:
        return self._event.wait(timeout)


class Watch:
    """A waiter's handle on a shared ``KeyWatch``; close it (or use ``with``)."""

    def __init__(self, hub: WatchHub, shared: KeyWatch) -> None:
        self._hub = hub
        self._shared = shared
        self._closed = False

    @property
    def key(self) -> bytes:
        return self._shared.key

    @property
    def fired(self) -> bool:
        return self._shared.fired

    def wait(self, timeout: float | None = None) -> bool:
        """Block until fired (True) or ``timeout`` seconds pass (False)."""
        return self._shared.wait(timeout)

    async def wait_async(self, timeout: float | None = None) -> bool:
        """Await the firing without holding a thread; False on timeout."""
        return await wait_any_async([self], timeout)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._hub.release(self._shared)

    def __enter__(self) -> Watch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class WatchHub:
    """Shares one armed ``KeyWatch`` per key. Backends override ``arm``/``disarm``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._armed: dict[bytes, KeyWatch] = {}

    def watch(self, key: bytes) -> Watch:
        arm = False
        with self._lock:
            shared = self._armed.get(key)
            if shared is None:
                shared = self._armed[key] = KeyWatch(key)
                arm = True
            shared.refs += 1
        if arm:
            try:
                self.arm(shared)
            except BaseException:
                self._forget(shared)
                raise
        return Watch(self, shared)

    def release(self, shared: KeyWatch) -> None:
        with self._lock:
            shared.refs -= 1
            idle = shared.refs <= 0
            if idle and self._armed.get(shared.key) is shared:
                del self._armed[shared.key]
        if idle and not shared.fired:
            self.disarm(shared)

    def armed_keys(self) -> list[bytes]:
        with self._lock:
            return list(self._armed)

    def notify(self, ranges: Iterable[Range]) -> None:
        """Fire every armed watch whose key lies in one of ``ranges`` (begin <= key < end)."""
        spans = list(ranges)
        with self._lock:
            hits = [
                shared
                for key, shared in self._armed.items()
                if any(begin <= key < end for begin, end in spans)
            ]
        for shared in hits:
            self._fire(shared)

    def notify_all(self) -> None:
        """Fire every armed watch (history lost: a spurious wake is always safe)."""
        with self._lock:
            hits = list(self._armed.values())
        for shared in hits:
            self._fire(shared)

    def _fire(self, shared: KeyWatch) -> None:
        self._forget(shared)
        shared.fire()

    def _forget(self, shared: KeyWatch) -> None:
        with self._lock:
            if self._armed.get(shared.key) is shared:
                del self._armed[shared.key]

    # -- per backend ---------------------------------------------------------------
    def arm(self, shared: KeyWatch) -> None:
        """Start following ``shared.key``; return only once a later commit would fire it."""

    def disarm(self, shared: KeyWatch) -> None:
        """Stop following a key no waiter holds any more."""

    def close(self) -> None:
        """Stop any helper thread and fire what is left, so no waiter hangs."""
        self.notify_all()


def wait_any(watches: list[Watch], timeout: float | None) -> bool:
    """Block until one of ``watches`` fires (True) or ``timeout`` passes (False)."""
    woken = threading.Event()
    for watch in watches:
        watch._shared.add_callback(woken.set)
    try:
        return woken.wait(timeout)
    finally:
        for watch in watches:
            watch._shared.remove_callback(woken.set)


async def wait_any_async(watches: list[Watch], timeout: float | None) -> bool:
    """Await the first of ``watches`` to fire (True) or ``timeout`` (False); holds no thread."""
    loop = asyncio.get_running_loop()
    done = loop.create_future()

    def wake() -> None:
        loop.call_soon_threadsafe(lambda: done.done() or done.set_result(True))

    for watch in watches:
        watch._shared.add_callback(wake)
    try:
        return await asyncio.wait_for(done, timeout)
    except TimeoutError:
        return False
    finally:
        for watch in watches:
            watch._shared.remove_callback(wake)
