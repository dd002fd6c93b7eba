"""Optimistic conflict detection shared by the memory and embedded backends.

A commit fails with 1020 (not_committed) when any of its read conflict ranges
intersects a write conflict range of a commit made after its read version --
FoundationDB's resolver rule.
"""

from __future__ import annotations

from collections.abc import Iterable

from fdb import tuple as fdbtuple

Range = tuple[bytes, bytes]


def intersects(reads: Iterable[Range], writes: Iterable[Range]) -> bool:
    writes = list(writes)
    return any(rb < we and wb < re for rb, re in reads for wb, we in writes)


def pack_ranges(ranges: Iterable[Range]) -> bytes:
    """Serialise write conflict ranges for the embedded commit log."""
    return fdbtuple.pack(tuple(bound for span in ranges for bound in span))


def unpack_ranges(raw: bytes) -> list[Range]:
    flat = fdbtuple.unpack(raw)
    return [(flat[i], flat[i + 1]) for i in range(0, len(flat), 2)]
