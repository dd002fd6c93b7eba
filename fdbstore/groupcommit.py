"""Group commit: the commits of one process's threads share one durable write.

A durable commit waits on its fsync (``synchronous=FULL``: a few milliseconds
on a real disk), and commits queue behind one another on the writer lock. So
instead of each thread writing its own: a thread that commits joins a queue;
the thread at the head (the *leader*) takes every commit queued at that moment
(up to ``max_batch``), writes them all in ONE storage transaction -- each one
checked for conflicts and applied in order, as if committed one after another
-- and syncs once. Every thread then returns (or raises its own error) only
after that sync: an acknowledged commit is as durable as before. Commits that
arrive while the leader writes form the next batch, whose head leads it.

A commit that fails alone (a conflict, too old, a storage error while applying
it) is undone alone (the writer uses a savepoint per commit) and raises in its
own thread; a failure of the whole batch (the lock or the final sync) raises in
every thread of the batch. Uncontended, a commit is its own batch of one, led
by itself: the cost is one lock round and a list.

Across processes, workers still take turns on the store's writer lock; while
one process syncs, the commits of the others accumulate into their next batch.
"""

from __future__ import annotations

import collections
import itertools
import threading
from collections.abc import Callable
from typing import Any


class Pending:
    """One commit waiting in the queue: what to write, and how it ended."""

    __slots__ = ("done", "error", "payload")

    def __init__(self, payload: Any) -> None:
        self.payload = payload
        self.error: BaseException | None = None
        self.done = False


class GroupCommitter:
    """Runs ``write_batch(list[Pending])`` for batches of concurrent ``commit`` calls.

    ``write_batch`` sets ``error`` on the commits that failed alone, and raises
    for a failure of the whole batch."""

    def __init__(self, write_batch: Callable[[list[Pending]], None], max_batch: int = 64) -> None:
        self._write_batch = write_batch
        self.max_batch = max_batch
        self._cond = threading.Condition(threading.Lock())
        self._queue: collections.deque[Pending] = collections.deque()
        self.batches = 0  # batches written by this process (for benchmarks and tests)
        self.commits = 0

    def commit(self, payload: Any) -> None:
        item = Pending(payload)
        cond = self._cond
        with cond:
            queue = self._queue
            queue.append(item)
            while not item.done and queue[0] is not item:
                cond.wait()
            if not item.done:
                batch = list(itertools.islice(queue, self.max_batch))
        if item.done:  # a leader wrote it
            if item.error is not None:
                raise item.error
            return
        try:
            self._write_batch(batch)
        except BaseException as exc:
            for other in batch:
                if other.error is None:
                    other.error = exc
        finally:
            with cond:
                for _ in batch:
                    queue.popleft()
                for other in batch:
                    other.done = True
                self.batches += 1
                self.commits += len(batch)
                cond.notify_all()
        if item.error is not None:
            raise item.error
