"""The embedded store against raw sqlite3 doing the same work, in one run.

    python -m bench.store_bench [--rounds 15] [--seconds 0.25] [--keys 10000] [--dir var]

Both sides use one file each with the same pragmas (WAL, synchronous=FULL) and
the same table shape; raw sqlite3 runs one statement per operation through
``conn.execute`` and wraps each write in BEGIN IMMEDIATE/COMMIT. Every store
operation is a whole retried transaction (``db.transact``). In each round the
two sides run back to back, alternating which goes first, so machine noise hits
both; a round's ratio is store / raw, and the table shows medians over rounds.
Reads are CPU-bound, so they are timed in CPU seconds of this thread (other
tenants of a shared machine then disturb them far less); durable writes wait on
fsync, so they are timed by the wall clock. Ratios are what count on a shared
machine, not the absolute figures.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from itertools import cycle
from pathlib import Path

from fdb.subspace_impl import Subspace

from fdbstore.backends.embedded import SCHEMA, EmbeddedDatabase

SPACE = Subspace(("bench", "kv"))
VALUE = b"v" * 120
TARGETS = {"point read": 0.5, "20-key range read": 0.5, "3-key write txn": 0.7}
CLOCKS = {
    "point read": time.thread_time,
    "20-key range read": time.thread_time,
    "3-key write txn": time.perf_counter,
}


def keys(count: int) -> list[bytes]:
    return [SPACE.pack((i,)) for i in range(count)]


def open_raw(path: str):
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.executescript(SCHEMA)
    return conn


def load(db: EmbeddedDatabase, raw, all_keys: list[bytes]) -> None:
    for i in range(0, len(all_keys), 1000):
        chunk = all_keys[i : i + 1000]
        db.transact(lambda tr, chunk=chunk: tr.set_many((k, VALUE) for k in chunk))
        raw.execute("BEGIN IMMEDIATE")
        raw.executemany(
            "INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)", [(k, VALUE) for k in chunk]
        )
        raw.execute("COMMIT")


def store_ops(db: EmbeddedDatabase, all_keys: list[bytes]) -> dict[str, Callable[[], object]]:
    points, starts, writes = cycle(all_keys[::7]), cycle(all_keys[:-20:13]), cycle(all_keys[::3])
    end = SPACE.range().stop

    def write(tr):
        for _ in range(3):
            tr.set(next(writes), VALUE)

    return {
        "point read": lambda: db.transact(lambda tr: tr.get(next(points))),
        "20-key range read": lambda: db.transact(lambda tr: tr.get_range(next(starts), end, 20)),
        "3-key write txn": lambda: db.transact(write),
    }


def raw_ops(conn, all_keys: list[bytes]) -> dict[str, Callable[[], object]]:
    points, starts, writes = cycle(all_keys[::7]), cycle(all_keys[:-20:13]), cycle(all_keys[::3])
    end = SPACE.range().stop
    get = "SELECT v FROM kv WHERE k = ?"
    scan = "SELECT k, v FROM kv WHERE k >= ? AND k < ? ORDER BY k ASC LIMIT 20"
    put = "INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)"

    def write():
        conn.execute("BEGIN IMMEDIATE")
        for _ in range(3):
            conn.execute(put, (next(writes), VALUE))
        conn.execute("COMMIT")

    return {
        "point read": lambda: conn.execute(get, (next(points),)).fetchone(),
        "20-key range read": lambda: conn.execute(scan, (next(starts), end)).fetchall(),
        "3-key write txn": write,
    }


def rate(
    op: Callable[[], object], seconds: float, clock: Callable[[], float] = time.perf_counter
) -> float:
    """Operations per second of ``clock`` over about ``seconds`` of it."""
    done, start = 0, clock()
    deadline = start + seconds
    while True:
        for _ in range(10):
            op()
        done += 10
        now = clock()
        if now >= deadline:
            return done / (now - start)


def run(
    rounds: int, seconds: float, count: int, where: str
) -> dict[str, list[tuple[float, float]]]:
    """Return, per operation, one (store ops/s, raw ops/s) pair per round."""
    Path(where).mkdir(parents=True, exist_ok=True)
    # On disk, not tmpfs: fsync must cost what it costs for the real store.
    with tempfile.TemporaryDirectory(prefix="store-bench-", dir=where) as tmp:
        db = EmbeddedDatabase(path=str(Path(tmp) / "store.sqlite3"), synchronous="FULL")
        raw = open_raw(str(Path(tmp) / "raw.sqlite3"))
        all_keys = keys(count)
        load(db, raw, all_keys)
        sides = {"store": store_ops(db, all_keys), "raw": raw_ops(raw, all_keys)}
        figures: dict[str, list[tuple[float, float]]] = {name: [] for name in TARGETS}
        for round_no in range(rounds):
            store_first = round_no % 2 == 0
            for name in TARGETS:
                clock = CLOCKS[name]
                first = rate(sides["store" if store_first else "raw"][name], seconds, clock)
                second = rate(sides["raw" if store_first else "store"][name], seconds, clock)
                figures[name].append((first, second) if store_first else (second, first))
        db.close()
        raw.close()
    return figures


def print_table(figures: dict[str, list[tuple[float, float]]]) -> None:
    print(
        f"{'operation (clock)':<26} {'store ops/s':>12} {'raw ops/s':>12} "
        f"{'store/raw':>10} {'(min-max)':>12} {'target':>8}"
    )
    for name, pairs in figures.items():
        ratios = [store / raw for store, raw in pairs]
        ratio = statistics.median(ratios)
        verdict = "ok" if ratio >= TARGETS[name] else "MISSED"
        label = f"{name} ({'cpu' if CLOCKS[name] is time.thread_time else 'wall'})"
        print(
            f"{label:<26} {statistics.median(p[0] for p in pairs):>12,.0f} "
            f"{statistics.median(p[1] for p in pairs):>12,.0f} {ratio:>10.2f} "
            f"{f'({min(ratios):.2f}-{max(ratios):.2f})':>12} "
            f"{'>= ' + str(TARGETS[name]):>8} {verdict}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--seconds", type=float, default=0.25, help="per side, op and round")
    parser.add_argument("--keys", type=int, default=10_000)
    parser.add_argument("--dir", default="var", help="where the two files live (on disk)")
    args = parser.parse_args()
    print_table(run(args.rounds, args.seconds, args.keys, args.dir))


if __name__ == "__main__":
    main()
