"""Loading a dump: validate every line first, then write in bounded batches.

1. The header is checked: a newer format or key layout than this code, or a
   layout other than the target store's, is refused.
2. Every line is validated and spooled to a temporary file: JSON, base64,
   key order, the end line's count, FoundationDB's key and value size limits
   under the target's root, and that each key belongs to the dump's scope.
   Each key is also looked up in the target, to report what would be
   overwritten. Nothing is written until the whole input has passed.
3. A target that already holds data in the scope is refused unless forced.
4. The spooled pairs are written in batches of at most ``BATCH_BYTES`` and
   ``BATCH_KEYS``, one transaction each: far under FoundationDB's 10 MB and
   5 s limits. Blind writes, so a retried batch is harmless. The load as a
   whole is not one transaction: if it stops half way, load again with
   ``--force``.

A dump whose root differs from the target's is loaded under the target's
root: keys are stored relative to the root.
"""

from __future__ import annotations

import struct
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

from fdb import tuple as fdbtuple

from fdbstore import limits
from fdbstore.database import Database
from fdbstore.dumpfile import DumpError, DumpFormatError, Header, read_entries, read_header
from fdbstore.dumpfile import readable as readable_key
from fdbstore.keys import keyspace
from fdbstore.layout import read_layout_version
from fdbstore.progress import Progress
from fdbstore.scopes import StoreScope, TenantScope, scope_for

BATCH_BYTES = 1_000_000
BATCH_KEYS = 1_000
_CHECK_EVERY = 500
_LENGTHS = struct.Struct("<II")
EXAMPLES = 3


class LoadRefused(DumpError):
    """The target already holds data in the dump's scope and ``force`` was not given."""


@dataclass
class LoadReport:
    header: Header
    keys: int = 0
    per_space: Counter[str] = field(default_factory=Counter)
    overwrites: int = 0
    overwrite_examples: list[str] = field(default_factory=list)
    occupied: list[str] = field(default_factory=list)
    written: int = 0
    batches: int = 0


def load(
    db: Database,
    source: IO[bytes],
    *,
    force: bool = False,
    dry_run: bool = False,
    progress: Callable[[str, int | None], Progress] | None = None,
) -> LoadReport:
    """Validate ``source`` completely, then write it into ``db`` (see the module docstring)."""
    header = read_header(source)
    _check_layout(db, header)
    scope = scope_for(header.tenant)
    report = LoadReport(header)
    with tempfile.TemporaryFile() as spool:
        _validate(db, source, scope, report, spool, progress)
        report.occupied = scope.occupied(db)
        if (report.occupied or report.overwrites) and not force:
            raise LoadRefused(refusal(report))
        if not dry_run:
            spool.seek(0)
            _write(db, spool, report, progress)
    return report


def _check_layout(db: Database, header: Header) -> None:
    target = db.transact(read_layout_version)
    if target is not None and target != header.layout:
        raise DumpError(
            f"the dump has key layout {header.layout} but the target store has layout "
            f"{target}; loading across layouts is not supported"
        )


def _validate(
    db: Database,
    source: IO[bytes],
    scope: StoreScope | TenantScope,
    report: LoadReport,
    spool: IO[bytes],
    progress: Callable[[str, int | None], Progress] | None,
) -> None:
    prefix = keyspace().root.key()
    bar = progress("validating", None) if progress else None
    pending: list[bytes] = []
    for line, relative, value in read_entries(source):
        key = prefix + relative
        space = _check_pair(line, relative, key, value, scope)
        report.keys += 1
        report.per_space[space] += 1
        spool.write(_LENGTHS.pack(len(key), len(value)) + key + value)
        pending.append(key)
        if len(pending) >= _CHECK_EVERY:
            _count_existing(db, pending, report)
            pending = []
        if bar:
            bar.advance()
    _count_existing(db, pending, report)
    if bar:
        bar.close()


def _check_pair(
    line: int, relative: bytes, key: bytes, value: bytes, scope: StoreScope | TenantScope
) -> str:
    """Return the key's top-level space, or raise ``DumpFormatError``."""
    try:
        unpacked = fdbtuple.unpack(relative)
    except Exception:  # whatever the tuple layer raises on foreign bytes
        raise DumpFormatError(line, "the key is not a tuple-layer key") from None
    if not scope.accepts(unpacked):
        where = "the store's data spaces" if scope.tenant is None else f"tenant {scope.tenant}"
        raise DumpFormatError(line, f"key {readable_key(relative)} is not part of {where}")
    if len(key) > limits.KEY_SIZE_LIMIT:
        raise DumpFormatError(line, f"key longer than {limits.KEY_SIZE_LIMIT} bytes")
    if len(value) > limits.VALUE_SIZE_LIMIT:
        raise DumpFormatError(line, f"value longer than {limits.VALUE_SIZE_LIMIT} bytes")
    return unpacked[0]


def _count_existing(db: Database, keys: list[bytes], report: LoadReport) -> None:
    if not keys:
        return
    values = db.transact(lambda tr: tr.snapshot.get_many(keys))
    prefix = len(keyspace().root.key())
    for key, value in zip(keys, values, strict=True):
        if value is not None:
            report.overwrites += 1
            if len(report.overwrite_examples) < EXAMPLES:
                report.overwrite_examples.append(readable_key(key[prefix:]))


def refusal(report: LoadReport) -> str:
    parts = ["refusing to load into a store that already holds data in the dump's scope:"]
    if report.occupied:
        parts.append(f"it has keys in {', '.join(report.occupied)};")
    if report.overwrites:
        examples = ", ".join(report.overwrite_examples)
        more = ", ..." if report.overwrites > len(report.overwrite_examples) else ""
        parts.append(
            f"{report.overwrites} of the dump's {report.keys} keys would overwrite "
            f"existing values ({examples}{more});"
        )
    parts.append("use --force to load anyway (keys not in the dump are left as they are)")
    return " ".join(parts)


def _spooled(spool: IO[bytes]) -> Iterator[tuple[bytes, bytes]]:
    while head := spool.read(_LENGTHS.size):
        key_len, value_len = _LENGTHS.unpack(head)
        yield spool.read(key_len), spool.read(value_len)


def _write(
    db: Database,
    spool: IO[bytes],
    report: LoadReport,
    progress: Callable[[str, int | None], Progress] | None,
) -> None:
    bar = progress("loading", report.keys) if progress else None
    batch: list[tuple[bytes, bytes]] = []
    size = 0
    for key, value in _spooled(spool):
        if batch and (size + len(key) + len(value) > BATCH_BYTES or len(batch) >= BATCH_KEYS):
            _commit(db, batch, report, bar)
            batch, size = [], 0
        batch.append((key, value))
        size += len(key) + len(value)
    if batch:
        _commit(db, batch, report, bar)
    if bar:
        bar.close()


def _commit(
    db: Database, batch: list[tuple[bytes, bytes]], report: LoadReport, bar: Progress | None
) -> None:
    db.transact(lambda tr: tr.set_many(batch))
    report.written += len(batch)
    report.batches += 1
    if bar:
        bar.advance(len(batch))
