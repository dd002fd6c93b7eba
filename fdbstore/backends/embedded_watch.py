"""Watches on the embedded store, across processes.

A commit of this process notifies its watches at once (``notify_watches``).
Commits of OTHER processes sharing the file are followed by one poller thread
per open database, alive only while a watch is armed (and a second after):
every ``POLL_S`` it asks SQLite's ``PRAGMA data_version``, which changes when
another connection has committed and costs no disk read (it is answered from
the WAL index in shared memory). Only when it changed does the poller read the
``commit_log`` rows after the version it last saw and fire the watches whose
keys lie in their write ranges. So waiting costs one cheap check per process
per ``POLL_S``, whatever the number of waiters, and never scans the data.

If the log rows it needs were already pruned (the poller stalled for longer
than the log is kept), every armed watch fires: a spurious wake is safe,
waiters re-read.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from typing import TYPE_CHECKING

from fdbstore.conflicts import unpack_ranges
from fdbstore.watches import KeyWatch, WatchHub

if TYPE_CHECKING:
    from fdbstore.backends.embedded import EmbeddedDatabase

POLL_S = 0.005
LINGER_S = 1.0
_VERSION = "SELECT coalesce(max(version), 0) FROM commit_log"
_LOG_AFTER = "SELECT version, ranges FROM commit_log WHERE version > ? ORDER BY version"


class EmbeddedWatchHub(WatchHub):
    def __init__(self, db: EmbeddedDatabase) -> None:
        super().__init__()
        self._db = db
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def arm(self, shared: KeyWatch) -> None:
        with self._lock:
            if self._thread is not None:
                return  # the running poller already follows every later commit
            # The baseline is read before this returns, so any later commit is after it.
            version = self._store_version()
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._run, args=(version,), name="fdbstore-watch", daemon=True
            )
            self._thread.start()

    def close(self) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=2)
        super().close()

    def _store_version(self) -> int:
        conn = self._db.acquire()
        try:
            return conn.execute(_VERSION).fetchone()[0]
        finally:
            self._db.release(conn)

    def _run(self, version: int) -> None:
        conn = self._db._connect()
        try:
            self._poll(conn, version)
        except sqlite3.Error:
            self.notify_all()  # waiters re-read and, if need be, arm again
            with self._lock:
                self._thread = None
        finally:
            conn.close()

    def _poll(self, conn: sqlite3.Connection, version: int) -> None:
        seen = conn.execute("PRAGMA data_version").fetchone()[0]
        idle_since: float | None = None
        while not self._stop.wait(POLL_S):
            current = conn.execute("PRAGMA data_version").fetchone()[0]
            if current != seen:
                seen = current
                version = self._deliver(conn, version)
            with self._lock:
                if self._armed:
                    idle_since = None
                    continue
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since > LINGER_S:
                    self._thread = None
                    return
        with self._lock:
            self._thread = None

    def _deliver(self, conn: sqlite3.Connection, version: int) -> int:
        rows = conn.execute(_LOG_AFTER, (version,)).fetchall()
        if not rows:
            return version
        if rows[0][0] != version + 1:
            self.notify_all()  # pruned history: wake everyone
            return rows[-1][0]
        self.notify([span for _, raw in rows for span in unpack_ranges(raw)])
        return rows[-1][0]
