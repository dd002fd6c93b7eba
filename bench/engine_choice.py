"""Candidate engines for the embedded backend, measured on this machine.

    python -m bench.engine_choice [--rounds 9] [--seconds 0.25] [--keys 10000] [--dir var]

Compares SQLite in WAL mode (synchronous FULL and NORMAL, the standard
library's sqlite3) with LMDB (the ``lmdb`` package, if installed: it is not a
project dependency; ``pip install lmdb`` into the venv to include it). Each
engine does the raw operations the store needs -- a point read, a 20-key range
read, a durable 3-key write transaction -- on its own file, rounds alternating
the order (reads timed in CPU seconds, writes by the wall clock, as in
``bench.store_bench``). It also probes what decides the choice beyond speed: byte order of
keys with 0x00/0xff, and whether FoundationDB's 10,000-byte keys fit.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
from collections.abc import Callable
from itertools import cycle, islice
from pathlib import Path

from bench.store_bench import CLOCKS, VALUE, keys, rate

ORDER_PROBE = [b"\xff\xff", b"a\x00", b"\x00\x00", b"\xff", b"a", b"\x01", b"\x00"]
FDB_KEY_LIMIT = 10_000


class SQLiteEngine:
    """One table of BLOB keys, as the embedded backend stores them."""

    def __init__(self, path: Path, synchronous: str) -> None:
        self.name = f"sqlite WAL {synchronous}"
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute(f"PRAGMA synchronous={synchronous}")
        self.conn.execute("CREATE TABLE kv (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID")

    def write(self, items: list[tuple[bytes, bytes]]) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.executemany("INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)", items)
        self.conn.execute("COMMIT")

    def get(self, key: bytes) -> bytes | None:
        row = self.conn.execute("SELECT v FROM kv WHERE k = ?", (key,)).fetchone()
        return row[0] if row else None

    def range(self, begin: bytes, count: int) -> list[tuple[bytes, bytes]]:
        query = "SELECT k, v FROM kv WHERE k >= ? ORDER BY k LIMIT ?"
        return self.conn.execute(query, (begin, count)).fetchall()

    def all_keys(self) -> list[bytes]:
        return [k for (k,) in self.conn.execute("SELECT k FROM kv ORDER BY k")]

    def close(self) -> None:
        self.conn.close()


class LMDBEngine:
    """LMDB with its durable defaults (sync and metasync on every commit)."""

    def __init__(self, path: Path) -> None:
        import lmdb

        self.name = "lmdb sync"
        self.env = lmdb.open(str(path), map_size=1 << 30, sync=True, metasync=True)

    def write(self, items: list[tuple[bytes, bytes]]) -> None:
        with self.env.begin(write=True) as txn:
            for key, value in items:
                txn.put(key, value)

    def get(self, key: bytes) -> bytes | None:
        with self.env.begin() as txn:
            return txn.get(key)

    def range(self, begin: bytes, count: int) -> list[tuple[bytes, bytes]]:
        with self.env.begin() as txn:
            cursor = txn.cursor()
            if not cursor.set_range(begin):
                return []
            return list(islice(cursor.iternext(), count))

    def all_keys(self) -> list[bytes]:
        with self.env.begin() as txn:
            return list(txn.cursor().iternext(values=False))

    def close(self) -> None:
        self.env.close()


def open_engines(where: Path) -> list:
    engines: list = [
        SQLiteEngine(where / "full.sqlite3", "FULL"),
        SQLiteEngine(where / "normal.sqlite3", "NORMAL"),
    ]
    try:
        engines.append(LMDBEngine(where / "lmdb"))
    except ImportError:
        print("lmdb is not installed: `pip install lmdb` into the venv to include it\n")
    return engines


def probe(engine) -> tuple[str, str]:
    """Return (byte order verdict, FoundationDB-size key verdict)."""
    engine.write([(b"probe/" + k, b"") for k in ORDER_PROBE])
    stored = [k for k in engine.all_keys() if k.startswith(b"probe/")]
    order = "memcmp" if stored == sorted(b"probe/" + k for k in ORDER_PROBE) else "WRONG"
    try:
        engine.write([(b"k" * FDB_KEY_LIMIT, b"v")])
        size = f"{FDB_KEY_LIMIT:,} B ok"
    except Exception as exc:  # each engine has its own error type
        size = f"refused ({type(exc).__name__})"
    return order, size


def operations(engine, all_keys: list[bytes]) -> dict[str, Callable[[], object]]:
    points, starts, writes = cycle(all_keys[::7]), cycle(all_keys[:-20:13]), cycle(all_keys[::3])
    return {
        "point read": lambda: engine.get(next(points)),
        "20-key range read": lambda: engine.range(next(starts), 20),
        "3-key write txn": lambda: engine.write([(next(writes), VALUE) for _ in range(3)]),
    }


def run(rounds: int, seconds: float, count: int, where: str) -> None:
    Path(where).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="engine-choice-", dir=where) as tmp:
        engines = open_engines(Path(tmp))
        all_keys = keys(count)
        for engine in engines:
            for i in range(0, count, 1000):
                engine.write([(k, VALUE) for k in all_keys[i : i + 1000]])
        ops = {engine.name: operations(engine, all_keys) for engine in engines}
        names = list(ops)
        figures = {(e, op): [] for e in names for op in ops[names[0]]}
        for round_no in range(rounds):
            order = names if round_no % 2 == 0 else names[::-1]
            for op in ops[names[0]]:
                for name in order:
                    figures[name, op].append(rate(ops[name][op], seconds, CLOCKS[op]))
        probes = {engine.name: probe(engine) for engine in engines}
        for engine in engines:
            engine.close()
    print_table(names, figures, probes)


def print_table(names, figures, probes) -> None:
    op_names = list(dict.fromkeys(op for _, op in figures))
    print(f"{'engine':<18}" + "".join(f"{op + ' /s':>22}" for op in op_names), end="")
    print(f"{'key order':>11} {'10,000-byte key':>24}")
    base = names[0]
    for name in names:
        cells = ""
        for op in op_names:
            median = statistics.median(figures[name, op])
            ratio = median / statistics.median(figures[base, op])
            cells += f"{f'{median:,.0f} ({ratio:.2f}x)':>22}"
        order, size = probes[name]
        print(f"{name:<18}{cells}{order:>11} {size:>24}")
    print(f"\n(ratios are against {base}; medians over rounds)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--seconds", type=float, default=0.25, help="per engine, op and round")
    parser.add_argument("--keys", type=int, default=10_000)
    parser.add_argument("--dir", default="var", help="where the files live (on disk)")
    args = parser.parse_args()
    run(args.rounds, args.seconds, args.keys, args.dir)


if __name__ == "__main__":
    main()
