"""Embedded backend: SQLite in WAL mode, from the standard library.

Why SQLite (docs/STORE.md, with the measurements): ordered BLOB keys compared
bytewise, atomic and durable commits that survive ``kill -9`` and power loss
with ``synchronous=FULL``, and safe sharing of one file by many processes.

How FoundationDB's model maps onto it:
- a transaction's reads run inside one SQLite read transaction, so they see
  one consistent snapshot; the newest ``commit_log`` version in that snapshot
  is the read version, looked up only when a commit needs it (read-only work
  never pays for it);
- writes are buffered (``BufferedTransaction``) and applied at commit inside
  ``BEGIN IMMEDIATE``, SQLite's single-writer lock, taken after the store's
  writer lock (``fdbstore.filelock``: an ``flock`` on ``<path>-writelock``,
  whose waiters are woken as soon as it is free, where SQLite's busy handler
  sleeps in steps of up to 100 ms and oversleeps);
- before applying, the commit checks its read conflict ranges against the
  write ranges of every commit logged after its read version (1020 on overlap);
- a writer that cannot get the locks within the timeout fails with 1031;
- concurrent commits of one process's threads share one SQLite transaction and
  so one fsync (``fdbstore.groupcommit``): each is conflict-checked against
  everything committed before it, earlier commits of its batch included, and
  applied under a savepoint of its own, so it fails alone; none is
  acknowledged before the batch's COMMIT has synced.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import time
import weakref
from collections.abc import Sequence
from pathlib import Path

from fdbstore import errors, limits
from fdbstore.buffered import BufferedTransaction, Mutation
from fdbstore.conflicts import Range, intersects, pack_ranges, unpack_ranges
from fdbstore.database import Database
from fdbstore.filelock import LockTimeout, WriterLock
from fdbstore.groupcommit import GroupCommitter, Pending
from fdbstore.mutations import apply_add
from fdbstore.transaction import KeyValue
from fdbstore.watches import WatchHub

# Builds KeyValue rows entirely in C: the namedtuple's own __new__ is a Python call per row.
_key_value = functools.partial(tuple.__new__, KeyValue)

SCHEMA = """
CREATE TABLE IF NOT EXISTS kv (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS commit_log (
    version INTEGER PRIMARY KEY, committed_at REAL NOT NULL, ranges BLOB NOT NULL);
"""
# Tables an fdbstore file may hold (store_meta: the first layout's version row).
_OWN_TABLES = {"kv", "commit_log", "store_meta"}
# The newest commit_log row is the store's version; it is never pruned. (A
# separate version row would cost every commit one more page written and synced.)
_VERSION = "SELECT coalesce(max(version), 0) FROM commit_log"
# Log rows are needed only while a transaction that read before them can
# still commit: a little past the 5 s transaction lifetime.
_LOG_KEEP_S = limits.TRANSACTION_TIME_LIMIT_S * 2
_PRUNE_EVERY = 64
_MAX_PARAMS = 500
_RANGE_ASC = "SELECT k, v FROM kv WHERE k >= ? AND k < ? ORDER BY k ASC LIMIT ?"
_RANGE_DESC = "SELECT k, v FROM kv WHERE k >= ? AND k < ? ORDER BY k DESC LIMIT ?"
_GET = "SELECT v FROM kv WHERE k = ?"
_PUT = "INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)"
_SYNC_MODES = {"FULL", "NORMAL", "EXTRA"}
# Connections inherited across fork() are never closed or used in the child.
_inherited: list[sqlite3.Connection] = []
_open_databases: weakref.WeakSet[EmbeddedDatabase] = weakref.WeakSet()
_pid = os.getpid()


def _after_fork_in_child() -> None:
    # Done once per fork rather than by a getpid() on every acquire and release.
    global _pid
    _pid = os.getpid()
    for db in list(_open_databases):
        _inherited.extend(db._pool)
        db._pool = []
        # The parent's queue may be mid-batch, led by a thread the child does not have.
        db._committer = GroupCommitter(db._write_batch)


os.register_at_fork(after_in_child=_after_fork_in_child)


class _Connection(sqlite3.Connection):
    """A pooled connection: the process that opened it, and one reusable cursor."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.pid = _pid
        # One cursor reused for every read saves allocating one per statement.
        self.cur = self.cursor()


class EmbeddedDatabase(Database):
    backend_name = "embedded"

    def __init__(
        self,
        *,
        path: str,
        retry_limit: int = 20,
        timeout_ms: int = 5000,
        synchronous: str = "FULL",
        mmap_bytes: int = 1 << 30,
        **_: object,
    ) -> None:
        super().__init__(retry_limit=retry_limit)
        if synchronous.upper() not in _SYNC_MODES:
            raise errors.StoreUnavailable(f"synchronous must be one of {sorted(_SYNC_MODES)}")
        self.path = str(Path(path).resolve())
        self._timeout_s = timeout_ms / 1000
        self._synchronous = synchronous.upper()
        self._mmap_bytes = int(mmap_bytes)
        self._pool: list[_Connection] = []
        self._commits = 0
        # Writers queue here, then on SQLite's lock (which stays the guard
        # against any writer not taking this one, such as the sqlite3 shell).
        self._writer: WriterLock | None = WriterLock(self.path + "-writelock")
        self._committer = GroupCommitter(self._write_batch)
        self._initialise()
        _open_databases.add(self)

    def describe(self) -> str:
        return f"embedded (SQLite WAL) at {self.path}"

    def create_transaction(self) -> EmbeddedTransaction:
        return EmbeddedTransaction(self)

    def create_watch_hub(self) -> WatchHub:
        from fdbstore.backends.embedded_watch import EmbeddedWatchHub

        return EmbeddedWatchHub(self)

    def close(self) -> None:
        self.close_watches()
        pool, self._pool = self._pool, []
        for conn in pool:
            conn.close()
        if self._writer is not None:
            self._writer.close()

    # -- connections --------------------------------------------------------------
    def _initialise(self) -> None:
        try:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            conn = self._connect()
        except (OSError, sqlite3.Error) as exc:
            raise errors.StoreUnavailable(
                f"cannot open the embedded store at {self.path}: {exc}"
            ) from None
        try:
            _refuse_foreign(conn, self.path)
            conn.executescript(SCHEMA)
        except errors.StoreUnavailable:
            conn.close()
            raise
        except sqlite3.Error as exc:
            conn.close()
            raise errors.StoreUnavailable(
                f"{self.path} is not a usable embedded store: {exc}"
            ) from None
        self.release(conn)

    def _connect(self) -> _Connection:
        conn = sqlite3.connect(
            self.path,
            timeout=self._timeout_s,
            isolation_level=None,
            check_same_thread=False,
            factory=_Connection,
        )
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA synchronous={self._synchronous}")
        # Pages are read straight from the OS page cache instead of copied into
        # SQLite's own cache first: chunked file contents stream about 1.6x as fast
        # (docs/STORE.md). The file never shrinks (no VACUUM), so the map stays valid.
        conn.execute(f"PRAGMA mmap_size={self._mmap_bytes}")
        return conn

    def acquire(self) -> _Connection:
        # list.pop and list.append are atomic under the GIL: no lock needed.
        try:
            return self._pool.pop()
        except IndexError:
            return self._connect()

    def release(self, conn: _Connection) -> None:
        if conn.pid == _pid:
            self._pool.append(conn)
        else:  # checked out before a fork(): the parent still owns it
            _inherited.append(conn)

    def should_prune(self) -> bool:
        self._commits += 1
        return self._commits % _PRUNE_EVERY == 0

    # -- commits (fdbstore.groupcommit) --------------------------------------------
    def _write_batch(self, batch: list[Pending]) -> None:
        """Write ``batch`` in one SQLite transaction and one sync, under the writer lock."""
        conn = self.acquire()
        try:
            writer = self._writer
            if writer is None:  # benchmarks only: SQLite's lock alone
                self._write_locked(conn, batch)
                return
            try:
                writer.acquire(self._timeout_s)
            except LockTimeout:
                raise errors.FDBError(errors.TRANSACTION_TIMED_OUT) from None
            except OSError as exc:
                raise errors.StoreError(f"embedded store writer lock: {exc}") from None
            try:
                self._write_locked(conn, batch)
            finally:
                writer.release()
        finally:
            self.release(conn)

    def _write_locked(self, conn: _Connection, batch: list[Pending]) -> None:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            raise errors.FDBError(errors.TRANSACTION_TIMED_OUT) from None
        try:
            version = conn.execute(_VERSION).fetchone()[0]
            now = time.time()
            alone = len(batch) == 1
            applied = 0
            for item in batch:
                if not alone:
                    conn.execute("SAVEPOINT one_commit")
                try:
                    _commit_one(conn, version, now, *item.payload)
                except (errors.FDBError, sqlite3.Error) as exc:
                    if alone:
                        raise
                    conn.execute("ROLLBACK TO one_commit")
                    conn.execute("RELEASE one_commit")
                    item.error = _own_error(exc)
                    continue
                if not alone:
                    conn.execute("RELEASE one_commit")
                version += 1
                applied += 1
            if not applied:
                conn.execute("ROLLBACK")
                return
            if self.should_prune():
                conn.execute(
                    "DELETE FROM commit_log WHERE committed_at < ? AND version < ?",
                    (now - _LOG_KEEP_S, version),
                )
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise errors.StoreError(f"embedded store error: {exc}") from None
            raise


class EmbeddedTransaction(BufferedTransaction):
    def __init__(self, db: EmbeddedDatabase) -> None:
        self._db = db
        self._conn: _Connection | None = None  # the read snapshot, once opened
        super().__init__()

    # -- reads --------------------------------------------------------------------
    def _snapshot(self) -> sqlite3.Cursor:
        """Open the read snapshot on first use: SQLite fixes it at the first SELECT."""
        conn = self._conn
        if conn is None:
            conn = self._conn = self._db.acquire()
            conn.cur.execute("BEGIN")
        return conn.cur

    def _read_version(self) -> int | None:
        """The version of this transaction's snapshot, or None if it read nothing stored."""
        if self._conn is None:
            return None
        return self._conn.cur.execute(_VERSION).fetchone()[0]

    def _storage_get_one(self, key: bytes) -> bytes | None:
        conn = self._conn
        cur = self._snapshot() if conn is None else conn.cur
        row = cur.execute(_GET, (key,)).fetchone()
        return row[0] if row else None

    def _storage_get(self, keys: Sequence[bytes]) -> list[bytes | None]:
        cur = self._snapshot()
        if len(keys) == 1:
            return [self._storage_get_one(keys[0])]
        found: dict[bytes, bytes] = {}
        for i in range(0, len(keys), _MAX_PARAMS):
            chunk = keys[i : i + _MAX_PARAMS]
            marks = ",".join("?" * len(chunk))
            # Only "?" placeholders are interpolated; the keys are bound parameters.
            query = f"SELECT k, v FROM kv WHERE k IN ({marks})"  # noqa: S608
            found.update(cur.execute(query, chunk))
        return [found.get(key) for key in keys]

    def _storage_range(self, begin: bytes, end: bytes, limit: int, reverse: bool) -> list[KeyValue]:
        query = _RANGE_DESC if reverse else _RANGE_ASC
        return list(map(_key_value, self._snapshot().execute(query, (begin, end, limit))))

    # -- commit -------------------------------------------------------------------
    def _storage_commit(
        self, mutations: list[Mutation], reads: list[Range], writes: list[Range]
    ) -> None:
        read_version = self._read_version() if reads else None
        self._storage_release()
        self._db._committer.commit((read_version, mutations, reads, writes))
        self._db.notify_watches(writes)

    def _storage_release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        if conn.in_transaction:
            conn.cur.execute("ROLLBACK")
        self._db.release(conn)


def _commit_one(
    conn: sqlite3.Connection,
    version: int,
    now: float,
    read_version: int | None,
    mutations: list[Mutation],
    reads: list[Range],
    writes: list[Range],
) -> None:
    """Check one commit against everything logged after its read version, apply it,
    and log it as ``version + 1``."""
    if read_version is not None and version > read_version:
        _check_conflicts(conn, read_version, version, reads)
    _apply_all(conn, mutations)
    conn.execute(
        "INSERT INTO commit_log (version, committed_at, ranges) VALUES (?, ?, ?)",
        (version + 1, now, pack_ranges(writes)),
    )


def _check_conflicts(
    conn: sqlite3.Connection, read_version: int, version: int, reads: list[Range]
) -> None:
    rows = conn.execute("SELECT ranges FROM commit_log WHERE version > ?", (read_version,))
    logged = [raw for (raw,) in rows]
    if len(logged) < version - read_version:
        # Pruned history (a stalled or clock-shifted transaction) cannot be
        # checked: too old, as FoundationDB says past its MVCC window.
        raise errors.FDBError(errors.TRANSACTION_TOO_OLD)
    later = [span for raw in logged for span in unpack_ranges(raw)]
    if intersects(reads, later):
        raise errors.FDBError(errors.NOT_COMMITTED)


def _own_error(exc: BaseException) -> BaseException:
    """The error one commit of a batch raises in its own thread."""
    if isinstance(exc, sqlite3.Error):
        return errors.StoreError(f"embedded store error: {exc}")
    return exc


def _refuse_foreign(conn: sqlite3.Connection, path: str) -> None:
    """Refuse, untouched, a SQLite file that belongs to another application."""
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    tables = {name for (name,) in rows}
    if tables and not tables <= _OWN_TABLES:
        foreign = ", ".join(sorted(tables - _OWN_TABLES))
        raise errors.StoreUnavailable(
            f"{path} is not an fdbstore file (it has other tables: {foreign}); "
            "is FDBSTORE_PATH another application's database?"
        )


def _apply_all(conn: sqlite3.Connection, mutations: list[Mutation]) -> None:
    """Apply in order; a run of plain sets goes to SQLite in one executemany."""
    sets: list[tuple[bytes, bytes]] = []
    for mutation in mutations:
        if mutation[0] == "set":
            sets.append(mutation[1:])
            continue
        if sets:
            conn.executemany(_PUT, sets)
            sets = []
        _apply(conn, mutation)
    if sets:
        conn.executemany(_PUT, sets)


def _apply(conn: sqlite3.Connection, mutation: Mutation) -> None:
    op = mutation[0]
    if op == "set":
        conn.execute(_PUT, mutation[1:])
    elif op == "clear":
        conn.execute("DELETE FROM kv WHERE k = ?", (mutation[1],))
    elif op == "clear_range":
        conn.execute("DELETE FROM kv WHERE k >= ? AND k < ?", mutation[1:])
    else:
        row = conn.execute("SELECT v FROM kv WHERE k = ?", (mutation[1],)).fetchone()
        value = apply_add(row[0] if row else None, mutation[2])
        conn.execute(_PUT, (mutation[1], value))
