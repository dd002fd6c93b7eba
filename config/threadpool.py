"""A lean thread pool for the WSGI bridge: the hottest idle thread, results straight to asyncio.

``concurrent.futures.ThreadPoolExecutor`` plus ``asyncio.wrap_future`` costs a
``Future`` with its own condition variable, a semaphore probe and a chained
callback per call; the profile of a worker under load showed that hand-over
as a tenth of its time. Here a call is handed to one thread under one lock,
and the thread hands the result to the event loop with one
``call_soon_threadsafe``.

Idle threads wait on a stack: a call goes to the thread that went idle last,
and a thread goes idle before its caller hears back. So a worker with a few
requests in flight keeps using the same one or two threads instead of
rotating through all of them: fewer threads contend for the GIL, and the
ones that run are warm. Measured on 4 KiB file reads (docs/BENCHMARKS.md,
"Files"): a queue that woke any waiting thread spent up to a fifth more CPU
per request with 4 threads than with 1.

Threads start on demand up to ``size`` (in the process that uses the pool:
after a fork, never before). If the awaiting side was cancelled (a timeout),
``abandoned(result)`` is called on the event loop when the call ends anyway
(``None`` if it raised).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

_STOP = object()
Item = Any  # (loop | None, future | None, fn, args), or _STOP


class _Sleeper:
    """One idle thread: ``wake`` is held while it sleeps; releasing it hands over ``item``."""

    __slots__ = ("item", "wake")

    def __init__(self) -> None:
        self.item: Item = None
        self.wake = threading.Lock()
        self.wake.acquire()


class ThreadPool:
    def __init__(self, size: int, name: str, abandoned: Callable[[Any], None]) -> None:
        self.size = size
        self.name = name
        self.abandoned = abandoned
        self._lock = threading.Lock()  # guards the three below
        self._pending: deque[Item] = deque()  # calls no idle thread could take yet
        self._idle: list[_Sleeper] = []  # a stack: the thread idle the shortest on top
        self._threads: list[threading.Thread] = []

    def run(self, loop: asyncio.AbstractEventLoop, fn: Callable, *args: Any) -> asyncio.Future:
        """Run ``fn(*args)`` in a pool thread; the returned future resolves on ``loop``."""
        future = loop.create_future()
        self._hand((loop, future, fn, args))
        return future

    def submit(self, fn: Callable, *args: Any) -> None:
        """Run ``fn(*args)`` in a pool thread, with no one waiting for it."""
        self._hand((None, None, fn, args))

    def shutdown(self) -> None:
        for _ in range(len(self._threads)):
            self._hand(_STOP)

    def _hand(self, item: Item) -> None:
        with self._lock:
            if self._idle:
                sleeper = self._idle.pop()
                sleeper.item = item
                sleeper.wake.release()
                return
            self._pending.append(item)
            if len(self._threads) >= self.size or item is _STOP:
                return
            thread = threading.Thread(
                target=self._work, name=f"{self.name}-{len(self._threads)}", daemon=True
            )
            self._threads.append(thread)
        thread.start()

    def _next(self, me: _Sleeper) -> Item:
        """A pending call, or None once ``me`` is on the idle stack."""
        with self._lock:
            if self._pending:
                return self._pending.popleft()
            self._idle.append(me)
            return None

    def _work(self) -> None:
        me = _Sleeper()
        item = self._next(me)
        while True:
            if item is None:
                me.wake.acquire()
                item, me.item = me.item, None
            if item is _STOP:
                return
            loop, future, fn, args = item
            try:
                result, deliver = fn(*args), self._deliver
            except BaseException as exc:  # handed to the awaiting coroutine
                result, deliver = exc, self._fail
            # Idle (or on to the next call) before the caller hears back, so that
            # the caller's next call finds this thread, still warm, on top.
            item = self._next(me)
            if loop is not None:
                _call_soon(loop, deliver, future, result)

    def _deliver(self, future: asyncio.Future, result: Any) -> None:
        if future.cancelled():
            self.abandoned(result)
        else:
            future.set_result(result)

    def _fail(self, future: asyncio.Future, exc: BaseException) -> None:
        if future.cancelled():
            self.abandoned(None)
        else:
            future.set_exception(exc)


def _call_soon(loop: asyncio.AbstractEventLoop, fn: Callable, *args: Any) -> None:
    with contextlib.suppress(RuntimeError):  # the loop closed: the worker is stopping
        loop.call_soon_threadsafe(fn, *args)
