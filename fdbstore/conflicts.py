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
    """Serialise write conflict ranges for the embedded commit log.

    The bytes are the tuple layer's packing of the flat bounds (each a byte
    string: 0x01, NULs escaped as 0x00 0xff, then 0x00), written by hand: the
    tuple layer's per-item type dispatch showed in commit profiles."""
    return b"".join(
        b"\x01" + bound.replace(b"\x00", b"\x00\xff") + b"\x00" for span in ranges for bound in span
    )


def unpack_ranges(raw: bytes) -> list[Range]:
    flat = fdbtuple.unpack(raw)
    return [(flat[i], flat[i + 1]) for i in range(0, len(flat), 2)]
