"""Read-your-writes, conflict tracking and limits for backends without them.

FoundationDB's client keeps a transaction's writes in memory, answers reads
from them, records read and write conflict ranges, and sends everything at
commit. ``BufferedTransaction`` does the same for the memory and embedded
backends, which then implement only four storage methods.
"""

from __future__ import annotations

import abc
import random
import time
from collections.abc import Iterator, Sequence
from itertools import chain, islice

from fdbstore import errors, limits
from fdbstore.mutations import apply_add, check_key, check_range, check_value
from fdbstore.transaction import KeyValue, ReadOperations, Transaction, key_after

# A buffered write: ("value", bytes), ("cleared", None) or ("adds", [param, ...])
# where "adds" still needs the stored value as its base.
Entry = tuple[str, object]
Mutation = tuple  # ("set", k, v) | ("clear", k) | ("clear_range", b, e) | ("add", k, p)

_BATCH = 256


class BufferedTransaction(Transaction):
    """A transaction that buffers writes until ``commit``.

    Subclasses implement ``_storage_get``, ``_storage_range``,
    ``_storage_commit`` and ``_storage_release``, and set up their own state
    before calling ``super().__init__()``.
    """

    timer = staticmethod(time.monotonic)  # swappable in tests

    def __init__(self, retry_backoff_s: float = 0.002) -> None:
        self._backoff_base = retry_backoff_s
        self._backoff = retry_backoff_s
        self.reset()

    # -- storage, per backend ------------------------------------------------
    @abc.abstractmethod
    def _storage_get(self, keys: Sequence[bytes]) -> list[bytes | None]:
        """Read committed values as of this transaction's read version."""

    @abc.abstractmethod
    def _storage_range(self, begin: bytes, end: bytes, limit: int, reverse: bool) -> list[KeyValue]:
        """Read up to ``limit`` committed pairs at this transaction's read version."""

    @abc.abstractmethod
    def _storage_commit(
        self,
        mutations: list[Mutation],
        read_conflicts: list[tuple[bytes, bytes]],
        write_conflicts: list[tuple[bytes, bytes]],
    ) -> None:
        """Check conflicts and apply ``mutations`` atomically, or raise FDBError."""

    @abc.abstractmethod
    def _storage_release(self) -> None:
        """End any open read snapshot; called on commit and reset."""

    def _storage_get_one(self, key: bytes) -> bytes | None:
        """Read one committed value; override where one key is cheaper than many."""
        return self._storage_get([key])[0]

    # -- lifecycle ------------------------------------------------------------
    def reset(self) -> None:
        self._storage_release()
        self._writes: dict[bytes, Entry] = {}
        self._cleared: list[tuple[bytes, bytes]] = []
        self._mutations: list[Mutation] = []
        self._read_conflicts: list[tuple[bytes, bytes]] = []
        self._write_conflicts: list[tuple[bytes, bytes]] = []
        self._size = 0
        self._started = self.timer()
        self._committed = False

    def _check_age(self) -> None:
        if self._committed:
            raise errors.FDBError(errors.CLIENT_INVALID_OPERATION, "Transaction already committed")
        if self.timer() - self._started > limits.TRANSACTION_TIME_LIMIT_S:
            raise errors.FDBError(errors.TRANSACTION_TOO_OLD)

    def commit(self) -> None:
        self._check_age()
        try:
            if self._mutations:
                self._storage_commit(self._mutations, self._read_conflicts, self._write_conflicts)
        finally:
            self._storage_release()
        self._committed = True
        self._backoff = self._backoff_base

    def on_error(self, error: errors.FDBError) -> None:
        if not isinstance(error, errors.FDBError) or not error.retryable:
            raise error
        # Jittered exponential backoff, as FoundationDB's on_error does.
        time.sleep(random.uniform(0, self._backoff))
        self._backoff = min(self._backoff * 2, 1.0)
        self.reset()

    # -- reads ------------------------------------------------------------------
    @property
    def snapshot(self) -> ReadOperations:
        return _SnapshotView(self)

    def get(self, key: bytes) -> bytes | None:
        return self._get_one(key, True)

    def get_many(self, keys: Sequence[bytes]) -> list[bytes | None]:
        return self._get_many(keys, conflict=True)

    def get_range(
        self, begin: bytes, end: bytes, limit: int = 0, reverse: bool = False
    ) -> list[KeyValue]:
        return self._get_range(begin, end, limit, reverse, conflict=True)

    def _get_one(self, key: bytes, conflict: bool) -> bytes | None:
        # The single-key path of _get_many: the commonest read, kept lean.
        self._check_age()
        if conflict:
            self._read_conflicts.append((key, key + b"\x00"))
        entry = self._entry(key)
        if entry is None:
            return self._storage_get_one(key)
        if entry[0] == "adds":
            return _resolve(entry, self._storage_get_one(key))
        return entry[1]  # type: ignore[return-value]

    def _get_many(self, keys: Sequence[bytes], conflict: bool) -> list[bytes | None]:
        self._check_age()
        results: list[bytes | None] = [None] * len(keys)
        missing: list[int] = []
        for i, key in enumerate(keys):
            if conflict:
                self._read_conflicts.append((key, key_after(key)))
            entry = self._entry(key)
            if entry is None or entry[0] == "adds":
                missing.append(i)
            elif entry[0] == "value":
                results[i] = entry[1]  # type: ignore[assignment]
        if missing:
            stored = self._storage_get([keys[i] for i in missing])
            for i, value in zip(missing, stored, strict=True):
                entry = self._entry(keys[i])
                results[i] = _resolve(entry, value)
        return results

    def _get_range(
        self, begin: bytes, end: bytes, limit: int, reverse: bool, conflict: bool
    ) -> list[KeyValue]:
        self._check_age()
        limit = _row_limit(limit)
        check_range(begin, end)
        pairs = self._merged(begin, end, reverse, limit)
        out = list(islice(pairs, limit)) if limit else list(pairs)
        if conflict:
            if limit and len(out) >= limit:
                last = out[-1].key
                span = (last, end) if reverse else (begin, key_after(last))
            else:
                span = (begin, end)
            self._read_conflicts.append(span)
        return out

    def _merged(self, begin: bytes, end: bytes, reverse: bool, limit: int) -> Iterator[KeyValue]:
        """Stored pairs overlaid with this transaction's writes, in order."""
        local = (
            sorted((k for k in self._writes if begin <= k < end), reverse=reverse)
            if self._writes
            else []
        )
        stored = chain.from_iterable(self._stored_pages(begin, end, reverse, limit))
        if not local and not self._cleared:
            return stored  # nothing of ours to overlay: no Python step per row
        return self._overlay(local, stored, reverse)

    def _overlay(
        self, local: list[bytes], stored: Iterator[KeyValue], reverse: bool
    ) -> Iterator[KeyValue]:
        li, pending = 0, next(stored, None)
        while li < len(local) or pending is not None:
            take_local = pending is None or (
                li < len(local)
                and (local[li] >= pending.key if reverse else local[li] <= pending.key)
            )
            if take_local:
                key = local[li]
                li += 1
                base = None
                if pending is not None and pending.key == key:
                    base, pending = pending.value, next(stored, None)
                value = _resolve(self._writes[key], base)
                if value is not None:
                    yield KeyValue(key, value)
            else:
                assert pending is not None
                if not self._in_cleared(pending.key):
                    yield pending
                pending = next(stored, None)

    def _stored_pages(
        self, begin: bytes, end: bytes, reverse: bool, limit: int
    ) -> Iterator[list[KeyValue]]:
        # Pages no bigger than the caller's limit: a 20-row read must not fetch
        # 256. Rows hidden by this transaction's clears are made up by the next page.
        size = min(limit, _BATCH) if limit else _BATCH
        while begin < end:
            batch = self._storage_range(begin, end, size, reverse)
            yield batch
            if len(batch) < size:
                return
            if reverse:
                end = batch[-1].key
            else:
                begin = key_after(batch[-1].key)

    # -- writes -----------------------------------------------------------------
    def set(self, key: bytes, value: bytes) -> None:
        self._check_age()
        check_key(key)
        check_value(value)
        self._record(("set", key, value), len(key) + len(value), key)
        self._writes[key] = ("value", value)

    def clear(self, key: bytes) -> None:
        self._check_age()
        check_key(key)
        self._record(("clear", key), len(key), key)
        self._writes[key] = ("cleared", None)

    def clear_range(self, begin: bytes, end: bytes) -> None:
        self._check_age()
        check_range(begin, end)
        for key in [k for k in self._writes if begin <= k < end]:
            del self._writes[key]
        self._mutations.append(("clear_range", begin, end))
        self._write_conflicts.append((begin, end))
        self._cleared.append((begin, end))
        self._grow(len(begin) + len(end))

    def add(self, key: bytes, param: bytes) -> None:
        self._check_age()
        check_key(key)
        check_value(param)
        self._record(("add", key, param), len(key) + len(param), key)
        entry = self._entry(key)
        if entry is None:
            self._writes[key] = ("adds", [param])
        elif entry[0] == "adds":
            entry[1].append(param)  # type: ignore[attr-defined]
        else:
            self._writes[key] = ("value", apply_add(entry[1], param))  # type: ignore[arg-type]

    def _record(self, mutation: Mutation, size: int, key: bytes) -> None:
        self._mutations.append(mutation)
        self._write_conflicts.append((key, key_after(key)))
        self._grow(size)

    def _grow(self, size: int) -> None:
        self._size += size
        if self._size > limits.TRANSACTION_SIZE_LIMIT:
            raise errors.FDBError(errors.TRANSACTION_TOO_LARGE)

    # -- buffer lookups -------------------------------------------------------------
    def _entry(self, key: bytes) -> Entry | None:
        entry = self._writes.get(key)
        if entry is None and self._cleared and self._in_cleared(key):
            return ("cleared", None)
        return entry

    def _in_cleared(self, key: bytes) -> bool:
        return any(b <= key < e for b, e in self._cleared)


def _row_limit(limit: int) -> int:
    """FoundationDB's reading of a range's row limit, as 0 for none.

    0 and -1 (the C API's ``ROW_LIMIT_UNLIMITED``) mean no limit; any other
    negative is 2012, as a 7.3.79 cluster answers."""
    if limit < -1:
        raise errors.FDBError(errors.RANGE_LIMITS_INVALID)
    return max(limit, 0)


def _resolve(entry: Entry | None, stored: bytes | None) -> bytes | None:
    """The value a reader sees: the buffered write applied to the stored value."""
    if entry is None:
        return stored
    kind, payload = entry
    if kind == "value":
        return payload  # type: ignore[return-value]
    if kind == "cleared":
        return None
    value = stored
    for param in payload:  # type: ignore[attr-defined]
        value = apply_add(value, param)
    return value


class _SnapshotView(ReadOperations):
    """Reads through the owning transaction without adding read conflicts."""

    def __init__(self, tr: BufferedTransaction) -> None:
        self._tr = tr

    def get(self, key: bytes) -> bytes | None:
        return self._tr._get_one(key, False)

    def get_many(self, keys: Sequence[bytes]) -> list[bytes | None]:
        return self._tr._get_many(keys, conflict=False)

    def get_range(
        self, begin: bytes, end: bytes, limit: int = 0, reverse: bool = False
    ) -> list[KeyValue]:
        return self._tr._get_range(begin, end, limit, reverse, conflict=False)
