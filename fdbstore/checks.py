"""Index verification: find (and optionally repair) orphaned and missing entries.

An orphan is an index entry no record accounts for; a missing entry is one a
record should have but does not (fdb-record-layer's ``validateEntries``). The
scan reads in bounded batches, one transaction each, so it works on stores far
larger than one 5-second transaction can read; a repair re-checks each finding
inside its own transaction before touching it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fdb import tuple as fdbtuple

from fdbstore.codec import CodecError
from fdbstore.database import Database
from fdbstore.indexes import Index
from fdbstore.repository import Repository
from fdbstore.scan import batches
from fdbstore.transaction import Transaction


@dataclass
class IndexReport:
    repository: str
    records: int = 0
    orphans: list[tuple[str, bytes]] = field(default_factory=list)
    missing: list[tuple[str, bytes, bytes]] = field(default_factory=list)
    undecodable: list[bytes] = field(default_factory=list)  # record keys; never repaired
    repaired: int = 0

    @property
    def problems(self) -> int:
        return len(self.orphans) + len(self.missing) + len(self.undecodable)

    @property
    def ok(self) -> bool:
        return self.problems == 0


def check_repository(
    db: Database, name: str, repo: Repository[Any], *, repair: bool = False
) -> IndexReport:
    report = IndexReport(name)
    expected: dict[bytes, tuple[Index[Any], bytes]] = {}
    unreadable: set[bytes] = set()  # index values (packed pks) of undecodable records
    for batch in batches(db, repo.space.range().start, repo.space.range().stop):
        for row in batch:
            report.records += 1
            try:
                record = repo.codec.decode(row.value)
            except CodecError:
                # Reported, not fatal: a check must survive the damage it looks for.
                # Its index entries cannot be judged, so they are left out below.
                report.undecodable.append(row.key)
                unreadable.add(fdbtuple.pack(repo.space.unpack(row.key)))
                continue
            for index, key, value in repo.maintainer.expected_entries(record):
                expected[key] = (index, value)
    for index in repo.indexes:
        space = index.space()
        for batch in batches(db, space.range().start, space.range().stop):
            for row in batch:
                wanted = expected.get(row.key)
                if wanted is not None and wanted[1] == row.value:
                    del expected[row.key]
                elif row.value in unreadable:
                    continue
                else:  # unaccounted for, or pointing at the wrong record
                    report.orphans.append((index.name, row.key))
    report.missing = [(index.name, key, value) for key, (index, value) in expected.items()]
    if repair:
        report.repaired = _repair(db, repo, report)
    return report


class _Unknown(Exception):
    """The record an entry points at cannot be read: leave the entry alone."""


def _expected_value(
    tr: Transaction, repo: Repository[Any], index_name: str, key: bytes, raw_pk: bytes
) -> bytes | None:
    """The value the record packed in ``raw_pk`` wants at index entry ``key``, or None."""
    try:
        pk = fdbtuple.unpack(raw_pk)
    except Exception:  # not a packed tuple: no record can account for it
        return None
    try:
        record = repo.get(tr, *pk)
    except CodecError:
        raise _Unknown from None
    if record is None:
        return None
    for index, entry_key, value in repo.maintainer.expected_entries(record):
        if index.name == index_name and entry_key == key:
            return value
    return None


def _repair(db: Database, repo: Repository[Any], report: IndexReport) -> int:
    """Fix each finding that is still wrong when re-read in its own transaction."""

    def fix_orphan(tr: Transaction, index_name: str, key: bytes) -> bool:
        raw = tr.get(key)
        if raw is None:
            return False
        try:
            wanted = _expected_value(tr, repo, index_name, key, raw)
        except _Unknown:
            return False
        if wanted == raw:
            return False
        tr.clear(key)
        return True

    def fix_missing(tr: Transaction, index_name: str, key: bytes, value: bytes) -> bool:
        if tr.get(key) is not None:
            return False
        try:
            if _expected_value(tr, repo, index_name, key, value) != value:
                return False
        except _Unknown:
            return False
        tr.set(key, value)
        return True

    fixed = 0
    for index_name, key in report.orphans:
        fixed += db.transact(lambda tr, n=index_name, k=key: fix_orphan(tr, n, k))
    for index_name, key, value in report.missing:
        fixed += db.transact(lambda tr, n=index_name, k=key, v=value: fix_missing(tr, n, k, v))
    return fixed
