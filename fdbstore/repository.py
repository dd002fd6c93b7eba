"""A generic repository: one record type, its key space and its indexes.

Records are frozen dataclasses stored as versioned JSON under
``space.pack(pk)``. Every write goes through ``update(tr, old, new)``, which
also keeps the declared indexes in step, in the same transaction. Reads by
index page with a continuation cursor and fetch the records in one batched
read, so a page costs two round trips whatever the size of the data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from fdb import tuple as fdbtuple
from fdb.subspace_impl import Subspace

from fdbstore.codec import RecordCodec
from fdbstore.cursors import decode_cursor, encode_cursor
from fdbstore.indexes import Index, IndexMaintainer
from fdbstore.transaction import ReadOperations, Transaction, key_after

R = TypeVar("R")


@dataclass(frozen=True)
class Page(Generic[R]):
    items: list[R]
    next_cursor: str | None


class Repository(Generic[R]):
    """Store and index one record type. Subclass and set the class attributes."""

    codec: RecordCodec[R]
    indexes: list[Index[R]] = []

    def __init__(self, space: Callable[[], Subspace], pk: Callable[[R], tuple[Any, ...]]) -> None:
        self._space = space
        self.pk = pk
        self.maintainer = IndexMaintainer(self.indexes, pk)

    @property
    def space(self) -> Subspace:
        return self._space()

    def key(self, pk: tuple[Any, ...]) -> bytes:
        return self.space.pack(pk)

    def index(self, name: str) -> Index[R]:
        return next(index for index in self.indexes if index.name == name)

    # -- reads --------------------------------------------------------------------
    def get(self, tr: ReadOperations, *pk: Any) -> R | None:
        raw = tr.get(self.key(pk))
        return None if raw is None else self.codec.decode(raw)

    def get_many(self, tr: ReadOperations, pks: Sequence[tuple[Any, ...]]) -> list[R | None]:
        raws = tr.get_many([self.key(pk) for pk in pks])
        return [None if raw is None else self.codec.decode(raw) for raw in raws]

    def lookup_unique(self, tr: ReadOperations, name: str, *values: Any) -> tuple[Any, ...] | None:
        """Return the primary key a unique index maps ``values`` to, or None."""
        raw = tr.get(self.index(name).space().pack(values))
        return None if raw is None else fdbtuple.unpack(raw)

    def page_by_index(
        self,
        tr: ReadOperations,
        name: str,
        prefix: tuple[Any, ...],
        *,
        limit: int,
        cursor: str | None = None,
        reverse: bool = False,
    ) -> Page[R]:
        """Return up to ``limit`` records whose index values start with ``prefix``.

        Reads ``limit + 1`` index entries (one range) to know whether a next
        page exists, then the records (one batched read)."""
        scope = self.index(name).space().subspace(prefix)
        begin, end = scope.range().start, scope.range().stop
        if cursor is not None:
            after = scope.pack(decode_cursor(cursor))
            if reverse:
                end = after
            else:
                begin = key_after(after)
        rows = tr.get_range(begin, end, limit=limit + 1, reverse=reverse)
        more = len(rows) > limit
        rows = rows[:limit]
        records = self.get_many(tr, [fdbtuple.unpack(row.value) for row in rows])
        items = [record for record in records if record is not None]
        next_cursor = encode_cursor(scope.unpack(rows[-1].key)) if more and rows else None
        return Page(items, next_cursor)

    def scan(self, tr: ReadOperations, *, after: bytes | None = None, limit: int = 1000) -> list[R]:
        """Return up to ``limit`` records in key order, after key ``after``."""
        begin = key_after(after) if after is not None else self.space.range().start
        rows = tr.get_range(begin, self.space.range().stop, limit=limit)
        return [self.codec.decode(row.value) for row in rows]

    # -- writes -------------------------------------------------------------------
    def update(self, tr: Transaction, old: R | None, new: R | None) -> None:
        """Write ``new`` (None deletes ``old``) and every index entry, atomically.

        The indexes go first: a ``UniqueViolation`` is raised before the
        record itself is written, so it leaves nothing behind; so is an
        encoding error, raised before any write."""
        value = self.codec.encode(new) if new is not None else None
        self.maintainer.update(tr, old, new)
        if old is not None and (new is None or self.pk(old) != self.pk(new)):
            tr.clear(self.key(self.pk(old)))
        if new is not None and value is not None:
            tr.set(self.key(self.pk(new)), value)

    def insert(self, tr: Transaction, record: R) -> None:
        self.update(tr, None, record)

    def delete(self, tr: Transaction, record: R) -> None:
        self.update(tr, record, None)

    def delete_by_index(
        self, tr: Transaction, name: str, prefix: tuple[Any, ...], *, limit: int
    ) -> tuple[int, bool]:
        """Delete up to ``limit`` records listed by index ``name`` under ``prefix``; return
        (records deleted, whether more entries remain).

        One range read and one batched read. An entry whose record is missing, or
        whose record no longer maps to it, is cleared on its own: the record is
        never deleted through an entry that does not belong to it."""
        index = self.index(name)
        scope = index.space().subspace(prefix)
        rows = tr.get_range(scope.range().start, scope.range().stop, limit=limit + 1)
        more, rows = len(rows) > limit, rows[:limit]
        records = self.get_many(tr, [fdbtuple.unpack(row.value) for row in rows])
        deleted = 0
        for row, record in zip(rows, records, strict=True):
            entry = index.entry(record, self.pk(record)) if record is not None else None
            if entry is None or entry[0] != row.key:
                tr.clear(row.key)
                continue
            self.delete(tr, record)
            deleted += 1
        return deleted, more

    def delete_by_prefix(
        self, tr: Transaction, prefix: tuple[Any, ...], *, limit: int
    ) -> tuple[int, bool]:
        """Delete up to ``limit`` records whose primary key starts with ``prefix``, with
        their index entries; return (records deleted, whether more remain)."""
        scope = self.space.subspace(prefix)
        rows = tr.get_range(scope.range().start, scope.range().stop, limit=limit + 1)
        more, rows = len(rows) > limit, rows[:limit]
        for row in rows:
            record = self.codec.decode(row.value)
            if self.key(self.pk(record)) == row.key:
                self.delete(tr, record)
            else:  # a record stored under another record's key: clear only this key
                tr.clear(row.key)
        return len(rows), more
