"""How fast ``blob_read`` streams a blob out of the embedded store, in process.

    .venv/bin/python -m bench.blob_read [--mib 50] [--repeat 5]

Writes one blob of ``--mib`` MiB into a fresh embedded store, then times
``blob_read`` over all of it (best of ``--repeat``) for each combination of
the store's memory map (``FDBSTORE_MMAP_BYTES``: off, and the default) and
chunks per read transaction (``READ_CHUNKS``). No server, no HTTP: this is the
store's share of a download (docs/STORE.md, "Reads through a memory map").
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SKIP_DOTENV", "1")
    os.environ.setdefault("JWT_SECRET", "bench-only-secret-" + "x" * 32)
    import django

    django.setup()


def best_read_s(db, blob, repeat: int) -> float:
    from fdbstore.blobs import blob_read

    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        size = sum(len(piece) for piece in blob_read(db, blob.id, blob.size))
        best = min(best, time.perf_counter() - started)
        assert size == blob.size
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mib", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    _setup()
    from fdbstore import blobs
    from fdbstore.backends.embedded import EmbeddedDatabase
    from fdbstore.conf import DEFAULTS

    print(f"blob_read of {args.mib} MiB, embedded store, best of {args.repeat}")
    print(f"{'mmap bytes':>12}{'READ_CHUNKS':>13}{'ms':>9}{'MB/s':>9}")
    default_chunks = blobs.READ_CHUNKS
    with tempfile.TemporaryDirectory(prefix="blob-read-") as tmp:
        path = str(Path(tmp) / "store.sqlite3")
        writer = EmbeddedDatabase(path=path, synchronous="NORMAL")
        blob = blobs.blob_write(writer, (bytes([n % 251]) * (1 << 20) for n in range(args.mib)))
        writer.close()
        try:
            for mmap_bytes in (0, DEFAULTS["MMAP_BYTES"]):
                db = EmbeddedDatabase(path=path, mmap_bytes=mmap_bytes)
                for chunks in sorted({default_chunks, 64}):
                    blobs.READ_CHUNKS = chunks
                    seconds = best_read_s(db, blob, args.repeat)
                    print(
                        f"{mmap_bytes:>12}{chunks:>13}{seconds * 1000:>9.1f}"
                        f"{blob.size / seconds / 1e6:>9.0f}"
                    )
                db.close()
        finally:
            blobs.READ_CHUNKS = default_chunks
    return 0


if __name__ == "__main__":
    sys.exit(main())
