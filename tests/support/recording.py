"""A recording database: every store operation a request makes, in order.

Our ``assertNumQueries``: wrap a database, run a request, then compare
``db.operations`` with the exact expected sequence. Each entry is a tuple
``(op, *args)`` -- ``("get", key)``, ``("get_many", (keys...))``,
``("get_range", begin, end, limit, reverse)``, ``("set", key)``,
``("clear", key)``, ``("add", key)``, ``("commit",)`` -- with ``snapshot.``
before snapshot reads. A round trip is a ``get``, a ``get_many`` or a
``get_range`` (and a ``commit`` with writes).
"""

from __future__ import annotations

from collections.abc import Sequence

from fdbstore.database import Database
from fdbstore.errors import FDBError
from fdbstore.transaction import KeyValue, ReadOperations, Transaction


class RecordingDatabase(Database):
    """Wraps ``inner``; ``fail_once`` injects one commit error for fault tests."""

    def __init__(self, inner: Database) -> None:
        super().__init__(retry_limit=inner.retry_limit)
        self.inner = inner
        self.backend_name = inner.backend_name
        self.operations: list[tuple] = []
        self.faults: list[tuple[bytes, int, bool]] = []

    def fail_once(self, *, writing: bytes, code: int, landed: bool) -> None:
        """Fail the next commit that writes a key starting with ``writing`` with ``code``;
        ``landed``: the commit is applied first (as a ``commit_unknown_result`` that did
        commit), else it is not."""
        self.faults.append((writing, code, landed))

    def create_transaction(self) -> Transaction:
        return RecordingTransaction(self.inner.create_transaction(), self.operations, self)

    def clear(self) -> None:
        self.operations.clear()

    def close(self) -> None:
        self.inner.close()


class _RecordingReads(ReadOperations):
    prefix = ""

    def __init__(self, reads: ReadOperations, log: list[tuple]) -> None:
        self._reads = reads
        self._log = log

    def get(self, key: bytes) -> bytes | None:
        self._log.append((self.prefix + "get", key))
        return self._reads.get(key)

    def get_many(self, keys: Sequence[bytes]) -> list[bytes | None]:
        self._log.append((self.prefix + "get_many", tuple(keys)))
        return self._reads.get_many(keys)

    def get_range(
        self, begin: bytes, end: bytes, limit: int = 0, reverse: bool = False
    ) -> list[KeyValue]:
        self._log.append((self.prefix + "get_range", begin, end, limit, reverse))
        return self._reads.get_range(begin, end, limit=limit, reverse=reverse)


class _RecordingSnapshot(_RecordingReads):
    prefix = "snapshot."


class RecordingTransaction(_RecordingReads, Transaction):
    def __init__(self, tr: Transaction, log: list[tuple], db: RecordingDatabase) -> None:
        super().__init__(tr, log)
        self._tr = tr
        self._db = db
        self._written: list[bytes] = []

    @property
    def snapshot(self) -> ReadOperations:
        return _RecordingSnapshot(self._tr.snapshot, self._log)

    def set(self, key: bytes, value: bytes) -> None:
        self._log.append(("set", key))
        self._written.append(key)
        self._tr.set(key, value)

    def clear(self, key: bytes) -> None:
        self._log.append(("clear", key))
        self._written.append(key)
        self._tr.clear(key)

    def clear_range(self, begin: bytes, end: bytes) -> None:
        self._log.append(("clear_range", begin, end))
        self._tr.clear_range(begin, end)

    def add(self, key: bytes, param: bytes) -> None:
        self._log.append(("add", key))
        self._tr.add(key, param)

    def commit(self) -> None:
        self._log.append(("commit",))
        fault = next(
            (f for f in self._db.faults if any(k.startswith(f[0]) for k in self._written)), None
        )
        if fault is None:
            self._tr.commit()
            return
        self._db.faults.remove(fault)
        if fault[2]:
            self._tr.commit()
        raise FDBError(fault[1])

    def on_error(self, error) -> None:
        self._log.append(("on_error", getattr(error, "code", None)))
        self._written.clear()
        self._tr.on_error(error)

    def reset(self) -> None:
        self._written.clear()
        self._tr.reset()
