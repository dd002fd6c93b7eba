"""Durable commits from several processes at once: throughput and commit latency.

    python -m bench.commit_contention [--procs 1 2 4] [--seconds 5] [--sets 2] [--dir var]

Each of N spawned processes opens its own handle on one embedded store
(synchronous=FULL, on disk) and commits small write transactions in a loop
(``--sets`` blind sets each, different keys per process: no conflicts, so what
is measured is waiting for the writer lock, not retries), optionally spending
``--think-ms`` of CPU between commits as a request would. Every commit is timed
by the wall clock from ``db.transact`` call to return. The report gives, per N,
total commits/s and p50/p90/p99/max commit latency over all processes, with
the store's writer lock (``flock``, the default) and with SQLite's lock alone
(``BEGIN IMMEDIATE`` waited for by SQLite's busy handler, as before the lock),
taking turns.

This isolates what POST /api/v5/sessions does under gunicorn sync workers: one
small write transaction per request, committed with an fsync, while the other
workers do the same.
"""

from __future__ import annotations

import argparse
import fcntl
import multiprocessing
import os
import statistics
import tempfile
import time
from pathlib import Path


class PollingLock:
    """The rejected design, for comparison: poll LOCK_NB with doubling sleeps (0.1-2 ms)."""

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)

    def acquire(self, timeout: float) -> None:
        deadline, delay = time.monotonic() + timeout, 0.0001
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError from None
                time.sleep(delay)
                delay = min(delay * 2, 0.002)

    def release(self) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)

    def close(self) -> None:
        os.close(self.fd)


def _worker(
    path: str, me: int, seconds: float, sets: int, lock: str, think: float, barrier, out
) -> None:
    from fdbstore.backends.embedded import EmbeddedDatabase

    db = EmbeddedDatabase(path=path, synchronous="FULL")
    if lock == "sqlite":
        db._writer = None  # SQLite's BEGIN IMMEDIATE and busy handler alone: the old way
    elif lock == "poll":
        db._writer = PollingLock(path + "-writelock")  # type: ignore[assignment]
    value = b"v" * 200
    n = 0

    def write(tr):
        for j in range(sets):
            tr.set(b"contention/%d/%d/%d" % (me, n, j), value)

    db.transact(write)  # warm: connection open, pages cached
    barrier.wait()
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    while True:
        start = time.perf_counter()
        if start >= deadline:
            break
        db.transact(write)
        latencies.append(time.perf_counter() - start)
        n += 1
        busy_until = time.thread_time() + think  # a request's own CPU work
        while time.thread_time() < busy_until:
            pass
    db.close()
    out.put(latencies)


def measure(
    path: str, procs: int, seconds: float, sets: int, lock: str, think: float
) -> dict[str, float]:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(procs)
    out = ctx.Queue()
    children = [
        ctx.Process(target=_worker, args=(path, i, seconds, sets, lock, think, barrier, out))
        for i in range(procs)
    ]
    for child in children:
        child.start()
    latencies = [x for _ in children for x in out.get(timeout=seconds + 60)]
    for child in children:
        child.join()
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {
        "procs": procs,
        "commits/s": len(latencies) / seconds,
        "p50": pct(0.50),
        "p90": pct(0.90),
        "p99": pct(0.99),
        "max": latencies[-1] * 1000,
        "mean": statistics.fmean(latencies) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procs", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--sets", type=int, default=2)
    parser.add_argument(
        "--think-ms", type=float, default=0.0, help="CPU work between commits (a request's)"
    )
    parser.add_argument("--rounds", type=int, default=1, help="repeat the whole series")
    parser.add_argument(
        "--lock",
        choices=["flock", "sqlite", "poll"],
        nargs="+",
        default=["sqlite", "flock"],
        help="writer locks to compare, taking turns: the store's flock (blocking, woken by "
        "the kernel), SQLite's busy handler alone, or flock polled with short sleeps",
    )
    parser.add_argument("--dir", default="var", help="where the store lives (on disk)")
    args = parser.parse_args()
    Path(args.dir).mkdir(parents=True, exist_ok=True)
    locks = args.lock
    print(
        f"{'lock':>6} {'procs':>5} {'commits/s':>10} "
        f"{'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    )
    with tempfile.TemporaryDirectory(prefix="contention-", dir=args.dir) as tmp:
        path = str(Path(tmp) / "store.sqlite3")
        from fdbstore.backends.embedded import EmbeddedDatabase

        EmbeddedDatabase(path=path, synchronous="FULL").close()
        for _ in range(args.rounds):
            for procs in args.procs:
                for lock in locks:
                    r = measure(path, procs, args.seconds, args.sets, lock, args.think_ms / 1000)
                    print(
                        f"{lock:>6} {procs:>5} {r['commits/s']:>10.0f} "
                        f"{r['p50']:>8.2f} {r['p90']:>8.2f} "
                        f"{r['p99']:>8.2f} {r['max']:>8.2f}",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
