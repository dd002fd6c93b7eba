"""Declared secondary indexes, kept in step by one ``update(tr, old, new)``.

A repository declares its indexes; ``IndexMaintainer.update`` writes, moves
or clears every entry of a record inside the record's own transaction
(fdb-record-layer's ``IndexMaintainer.update``: old ``None`` = insert, new
``None`` = delete). Entry shapes, with ``pk`` the record's primary-key tuple::

    unique:      space.pack(values)         -> tuple.pack(pk)
    non-unique:  space.pack(values + pk)    -> tuple.pack(pk)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from fdb import tuple as fdbtuple
from fdb.subspace_impl import Subspace

from fdbstore.errors import UniqueViolation
from fdbstore.transaction import Transaction

R = TypeVar("R")


@dataclass(frozen=True)
class Index(Generic[R]):
    """One index: a name, where its entries live, and what it indexes.

    ``values(record)`` returns the indexed tuple, or None to leave the record
    out of this index."""

    name: str
    space: Callable[[], Subspace]
    values: Callable[[R], tuple[Any, ...] | None]
    unique: bool = False

    def entry(self, record: R, pk: tuple[Any, ...]) -> tuple[bytes, bytes] | None:
        values = self.values(record)
        if values is None:
            return None
        key_tuple = values if self.unique else values + pk
        return self.space().pack(key_tuple), fdbtuple.pack(pk)


class IndexMaintainer(Generic[R]):
    """Keeps every declared index of one record type in step with its records."""

    def __init__(self, indexes: list[Index[R]], pk: Callable[[R], tuple[Any, ...]]) -> None:
        self.indexes = indexes
        self.pk = pk

    def update(self, tr: Transaction, old: R | None, new: R | None) -> None:
        """Move every index entry from ``old`` to ``new``.

        Every unique claim is checked before anything is written, so a
        ``UniqueViolation`` leaves the transaction as it was, even for a
        caller that catches it and commits other work."""
        changes = []
        for index in self.indexes:
            before = index.entry(old, self.pk(old)) if old is not None else None
            after = index.entry(new, self.pk(new)) if new is not None else None
            if before != after:
                changes.append((index, before, after))
        for index, before, after in changes:
            if index.unique and after is not None:
                self._claim(tr, index, before, after, new)
        for _index, before, after in changes:
            if before is not None and (after is None or before[0] != after[0]):
                tr.clear(before[0])
            if after is not None:
                tr.set(*after)

    @staticmethod
    def _claim(
        tr: Transaction,
        index: Index[R],
        before: tuple[bytes, bytes] | None,
        after: tuple[bytes, bytes],
        record: R | None,
    ) -> None:
        """Refuse a unique value held by another record (the read makes it serializable).

        The entry being replaced (same value, the record's old primary key)
        is this record's own claim, not another record's."""
        holder = tr.get(after[0])
        if holder is None or holder == after[1]:
            return
        if before is not None and before[0] == after[0] and holder == before[1]:
            return
        raise UniqueViolation(index.name, index.values(record))  # type: ignore[arg-type]

    def expected_entries(self, record: R) -> Iterator[tuple[Index[R], bytes, bytes]]:
        for index in self.indexes:
            entry = index.entry(record, self.pk(record))
            if entry is not None:
                yield index, entry[0], entry[1]
