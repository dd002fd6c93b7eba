"""A lean thread pool for the WSGI bridge: one queue, results straight to asyncio.

``concurrent.futures.ThreadPoolExecutor`` plus ``asyncio.wrap_future`` costs a
``Future`` with its own condition variable, a semaphore probe and a chained
callback per call; the profile of a worker under load showed that hand-over
as a tenth of its time. Here a call is one ``SimpleQueue.put``, and the
thread hands the result to the event loop with one ``call_soon_threadsafe``.

Threads start on demand up to ``size`` (in the process that uses the pool:
after a fork, never before). If the awaiting side was cancelled (a timeout),
``abandoned(result)`` is called on the event loop when the call ends anyway
(``None`` if it raised).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from queue import SimpleQueue
from typing import Any

_STOP = object()


class ThreadPool:
    def __init__(self, size: int, name: str, abandoned: Callable[[Any], None]) -> None:
        self.size = size
        self.name = name
        self.abandoned = abandoned
        self._queue: SimpleQueue = SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._idle = 0
        self._lock = threading.Lock()

    def run(self, loop: asyncio.AbstractEventLoop, fn: Callable, *args: Any) -> asyncio.Future:
        """Run ``fn(*args)`` in a pool thread; the returned future resolves on ``loop``."""
        future = loop.create_future()
        self._queue.put((loop, future, fn, args))
        if self._idle <= 0 and len(self._threads) < self.size:
            self._start_thread()
        return future

    def submit(self, fn: Callable, *args: Any) -> None:
        """Run ``fn(*args)`` in a pool thread, with no one waiting for it."""
        self._queue.put((None, None, fn, args))
        if self._idle <= 0 and len(self._threads) < self.size:
            self._start_thread()

    def _start_thread(self) -> None:
        with self._lock:
            if len(self._threads) >= self.size:
                return
            thread = threading.Thread(
                target=self._work, name=f"{self.name}-{len(self._threads)}", daemon=True
            )
            self._threads.append(thread)
            thread.start()

    def _work(self) -> None:
        queue = self._queue
        while True:
            self._idle += 1
            item = queue.get()
            self._idle -= 1
            if item is _STOP:
                return
            loop, future, fn, args = item
            try:
                result = fn(*args)
            except BaseException as exc:  # handed to the awaiting coroutine
                if loop is not None:
                    _call_soon(loop, self._fail, future, exc)
                continue
            if loop is not None:
                _call_soon(loop, self._deliver, future, result)

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

    def shutdown(self) -> None:
        for _ in self._threads:
            self._queue.put(_STOP)


def _call_soon(loop: asyncio.AbstractEventLoop, fn: Callable, *args: Any) -> None:
    with contextlib.suppress(RuntimeError):  # the loop closed: the worker is stopping
        loop.call_soon_threadsafe(fn, *args)
