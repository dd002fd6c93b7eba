"""A test-only record and repository, and a fresh store per test.

``Widget`` has one unique index (``code``) and one non-unique index
(``owner``), so repository, check and command tests exercise both entry
shapes without depending on the domain apps' records.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from fdb.subspace_impl import Subspace

from fdbstore.codec import RecordCodec
from fdbstore.indexes import Index
from fdbstore.repository import Repository
from fdbstore.transaction import ReadOperations, Transaction

WHEN = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)


@dataclass(frozen=True)
class Widget:
    id: uuid.UUID
    owner: uuid.UUID
    code: str
    name: str
    created: datetime = WHEN
    note: str | None = None


class WidgetRepository(Repository[Widget]):
    codec = RecordCodec(Widget, version=1)

    def __init__(self, root: Subspace) -> None:
        self.indexes = [
            Index("by_code", lambda: root["by_code"], lambda w: (w.code,), unique=True),
            Index("by_owner", lambda: root["by_owner"], lambda w: (w.owner,)),
        ]
        super().__init__(lambda: root["widgets"], lambda w: (w.id,))


def widget_repository() -> WidgetRepository:
    """A repository in a subspace of its own, outside the application's root."""
    return WidgetRepository(Subspace(("widget-tests", uuid.uuid4().hex)))


def widget(code: str, *, owner: uuid.UUID | None = None, name: str = "w", **kw) -> Widget:
    return Widget(id=uuid.uuid4(), owner=owner or uuid.uuid4(), code=code, name=name, **kw)


def all_pairs(db, space: Subspace) -> list[tuple[bytes, bytes]]:
    return [tuple(kv) for kv in db.transact(lambda tr: tr.get_range_startswith(space.key()))]


class _RecordingReads(ReadOperations):
    def __init__(self, reads, ops, kind):
        self.reads, self.ops, self.kind = reads, ops, kind

    def get(self, key):
        self.ops.append((f"{self.kind}get", key))
        return self.reads.get(key)

    def get_many(self, keys):
        self.ops.append((f"{self.kind}get_many", len(keys)))
        return self.reads.get_many(keys)

    def get_range(self, begin, end, limit=0, reverse=False):
        self.ops.append((f"{self.kind}get_range", limit))
        return self.reads.get_range(begin, end, limit=limit, reverse=reverse)


class Recording(_RecordingReads, Transaction):
    """Wraps a transaction and records every operation: our ``assertNumQueries``.

    Reads are recorded as ``("get", key)``, ``("get_many", n)`` and
    ``("get_range", limit)``, snapshot reads with a ``snapshot.`` prefix."""

    def __init__(self, tr, ops=None):
        super().__init__(tr, [] if ops is None else ops, "")
        self.tr = tr

    @property
    def snapshot(self):
        return _RecordingReads(self.tr.snapshot, self.ops, "snapshot.")

    def set(self, key, value):
        self.ops.append(("set", key))
        self.tr.set(key, value)

    def clear(self, key):
        self.ops.append(("clear", key))
        self.tr.clear(key)

    def clear_range(self, begin, end):
        self.ops.append(("clear_range", begin))
        self.tr.clear_range(begin, end)

    def add(self, key, param):
        self.ops.append(("add", key))
        self.tr.add(key, param)

    def commit(self):
        self.tr.commit()

    def on_error(self, error):
        self.tr.on_error(error)

    def reset(self):
        self.tr.reset()

    def writes(self):
        return [op for op in self.ops if op[0] in ("set", "clear", "clear_range", "add")]


class RecordingDatabase:
    """Wraps a database: each ``transact`` is recorded as one list of operations."""

    def __init__(self, db):
        self.db = db
        self.transactions: list[list[tuple]] = []

    def __getattr__(self, name):
        return getattr(self.db, name)

    def transact(self, fn):
        def run(tr):
            ops: list[tuple] = []
            result = fn(Recording(tr, ops))
            self.transactions.append(ops)
            return result

        return self.db.transact(run)
