"""Commit forever on an embedded store; print each acknowledged commit's number.

Run as ``python -m tests.fdbstore.helpers.crash_writer PATH``; the parent
SIGKILLs it at a random moment. Each transaction writes three keys (a record,
its index entry and the counter), so a half-applied commit is detectable.
A line ``N`` is printed only after ``commit()`` returned for N.
"""

from __future__ import annotations

import hashlib
import sys

from fdbstore.backends.embedded import EmbeddedDatabase
from fdbstore.transaction import decode_int, encode_int

COUNTER = b"crash/counter"
RECORDS = b"crash/records/"
INDEX = b"crash/index/"


def record_key(n: int) -> bytes:
    return RECORDS + n.to_bytes(8, "big")


def index_key(n: int) -> bytes:
    return INDEX + n.to_bytes(8, "big")


def payload(n: int) -> bytes:
    """A few KiB derived from ``n``: spans several pages, so a torn write shows."""
    return hashlib.sha256(str(n).encode()).digest() * 128


def write_next(tr) -> int:
    n = decode_int(tr.get(COUNTER)) + 1
    tr.set(record_key(n), payload(n))
    tr.set(index_key(n), record_key(n))
    tr.set(COUNTER, encode_int(n))
    return n


def main(path: str) -> None:
    db = EmbeddedDatabase(path=path, synchronous="FULL")
    while True:
        n = db.transact(write_next)
        sys.stdout.write(f"{n}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1])
