"""Crash safety: an acknowledged commit survives kill -9, and none is half applied.

A child commits in a loop on an embedded store (synchronous=FULL) and prints
each commit number after ``commit()`` returns. The parent SIGKILLs it at a
random moment, reopens the file, checks it, and starts the next round on the
same file.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from fdbstore.backends.embedded import EmbeddedDatabase
from fdbstore.transaction import decode_int, strinc
from tests.fdbstore.helpers import crash_writer as writer

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 5


def run_and_kill(path: str, delay_s: float) -> list[int]:
    """Run the writer, SIGKILL it ``delay_s`` after its first ack; return its acks."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.fdbstore.helpers.crash_writer", path],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    # The kill is timed from the first ack: a slow start on a busy machine is no failure.
    first_ack = threading.Event()

    def drain() -> None:
        for line in child.stdout:
            if line.endswith("\n"):  # a torn last line was never acknowledged
                lines.append(line)
                first_ack.set()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        assert first_ack.wait(timeout=30), "the writer never acknowledged a commit"
        time.sleep(delay_s)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        reader.join(timeout=30)
    assert child.returncode == -signal.SIGKILL
    return [int(line) for line in lines]


def committed_state(path: str) -> tuple[int, list, list]:
    db = EmbeddedDatabase(path=path, synchronous="FULL")
    try:
        return db.transact(
            lambda tr: (
                decode_int(tr.get(writer.COUNTER)),
                tr.get_range(writer.RECORDS, strinc(writer.RECORDS)),
                tr.get_range(writer.INDEX, strinc(writer.INDEX)),
            )
        )
    finally:
        db.close()


def test_acknowledged_commits_survive_kill_9_and_none_is_half_applied(tmp_path):
    path = str(tmp_path / "crash.sqlite3")
    acked: list[int] = []
    delays = [random.uniform(0.2, 1.0) for _ in range(ROUNDS)]
    for round_no, delay in enumerate(delays):
        new = run_and_kill(path, delay)
        assert new, f"round {round_no} acknowledged nothing in {delay:.2f} s"
        acked += new
        counter, records, index = committed_state(path)
        context = f"round {round_no}, delays {delays}"
        # Every acknowledged commit is there; at most one more was in flight.
        assert max(acked) <= counter <= max(acked) + 1, context
        numbers = list(range(1, counter + 1))
        assert set(acked) <= set(numbers), context
        # Records, index entries and the counter moved together, intact.
        assert [kv.key for kv in records] == [writer.record_key(n) for n in numbers], context
        assert all(kv.value == writer.payload(n) for n, kv in zip(numbers, records, strict=True))
        assert [(kv.key, kv.value) for kv in index] == [
            (writer.index_key(n), writer.record_key(n)) for n in numbers
        ], context
