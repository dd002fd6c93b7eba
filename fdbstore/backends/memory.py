"""In-memory backend for fast tests: FoundationDB's semantics, nothing lenient.

Multi-version storage gives each transaction a consistent snapshot at its
read version; commits are checked against the write ranges of later commits,
so two concurrent transactions really conflict. Data lives for the process.
"""

from __future__ import annotations

import bisect
import threading
import time
from collections import deque
from collections.abc import Sequence

from fdbstore import errors, limits
from fdbstore.buffered import BufferedTransaction, Mutation
from fdbstore.conflicts import Range, intersects
from fdbstore.database import Database
from fdbstore.mutations import apply_add
from fdbstore.transaction import KeyValue

# Old versions are kept a little past the 5 s transaction lifetime.
_HISTORY_S = limits.TRANSACTION_TIME_LIMIT_S + 1.0


class MemoryDatabase(Database):
    backend_name = "memory"

    def __init__(self, *, retry_limit: int = 20, **_: object) -> None:
        super().__init__(retry_limit=retry_limit)
        self._lock = threading.Lock()
        self._version = 0
        self._keys: list[bytes] = []  # sorted; every key that has history
        self._history: dict[bytes, list[tuple[int, bytes | None]]] = {}
        self._log: deque[tuple[int, float, list[Range]]] = deque()

    def create_transaction(self) -> MemoryTransaction:
        return MemoryTransaction(self)

    def describe(self) -> str:
        return "memory (this process only)"

    # -- versioned reads ------------------------------------------------------
    def read_version(self) -> int:
        return self._version

    def value_at(self, key: bytes, version: int) -> bytes | None:
        history = self._history.get(key)
        if not history:
            return None
        for v, value in reversed(history):
            if v <= version:
                return value
        return None

    def range_at(
        self, begin: bytes, end: bytes, limit: int, reverse: bool, version: int
    ) -> list[KeyValue]:
        with self._lock:
            lo = bisect.bisect_left(self._keys, begin)
            hi = bisect.bisect_left(self._keys, end)
            keys = self._keys[lo:hi]
            out: list[KeyValue] = []
            for key in reversed(keys) if reverse else keys:
                value = self.value_at(key, version)
                if value is not None:
                    out.append(KeyValue(key, value))
                    if len(out) >= limit:
                        break
            return out

    # -- commits ----------------------------------------------------------------
    def commit(
        self,
        read_version: int | None,
        mutations: list[Mutation],
        reads: list[Range],
        writes: list[Range],
    ) -> None:
        with self._lock:
            now = time.monotonic()
            if read_version is not None and reads:
                later = (w for v, _, w in self._log if v > read_version)
                if intersects(reads, (span for ranges in later for span in ranges)):
                    raise errors.FDBError(errors.NOT_COMMITTED)
            self._version += 1
            for mutation in mutations:
                self._apply(mutation)
            self._log.append((self._version, now, writes))
            while self._log and now - self._log[0][1] > _HISTORY_S:
                self._log.popleft()
        self.notify_watches(writes)

    def _apply(self, mutation: Mutation) -> None:
        op = mutation[0]
        if op == "set":
            self._put(mutation[1], mutation[2])
        elif op == "clear":
            self._put(mutation[1], None)
        elif op == "add":
            current = self.value_at(mutation[1], self._version)
            self._put(mutation[1], apply_add(current, mutation[2]))
        else:
            lo = bisect.bisect_left(self._keys, mutation[1])
            hi = bisect.bisect_left(self._keys, mutation[2])
            for key in self._keys[lo:hi]:
                self._put(key, None)

    def _put(self, key: bytes, value: bytes | None) -> None:
        history = self._history.get(key)
        if history is None:
            if value is None:
                return
            history = self._history[key] = []
            bisect.insort(self._keys, key)
        history.append((self._version, value))
        # Keep the newest version at or below the oldest read version a live
        # transaction can hold: one before the oldest logged commit.
        if len(history) > 8:
            oldest_needed = (self._log[0][0] if self._log else self._version) - 1
            while len(history) > 1 and history[1][0] <= oldest_needed:
                history.pop(0)


class MemoryTransaction(BufferedTransaction):
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db
        self._read_version: int | None = None
        super().__init__()

    def _version(self) -> int:
        if self._read_version is None:
            self._read_version = self._db.read_version()
        return self._read_version

    def _storage_get(self, keys: Sequence[bytes]) -> list[bytes | None]:
        version = self._version()
        with self._db._lock:
            return [self._db.value_at(key, version) for key in keys]

    def _storage_range(self, begin: bytes, end: bytes, limit: int, reverse: bool) -> list[KeyValue]:
        return self._db.range_at(begin, end, limit, reverse, self._version())

    def _storage_commit(
        self, mutations: list[Mutation], reads: list[Range], writes: list[Range]
    ) -> None:
        self._db.commit(self._read_version, mutations, reads, writes)

    def _storage_release(self) -> None:
        self._read_version = None
