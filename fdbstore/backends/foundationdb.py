"""FoundationDB backend, through the official ``foundationdb`` binding.

This is the only module that imports the C-backed client, and
``fdb.api_version()`` is called here and nowhere else. The binding already
gives read-your-writes, conflicts, limits and backoff; this module adapts its
futures and errors to the ``Transaction`` interface.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from fdbstore import errors
from fdbstore.database import Database
from fdbstore.transaction import KeyValue, ReadOperations, Transaction
from fdbstore.watches import KeyWatch, WatchHub

INSTALL_HINT = (
    "install the FoundationDB client library (the foundationdb-clients 7.3 package from "
    "FoundationDB's releases; the Dockerfile does this) and the binding "
    "(pip install foundationdb==7.3.79)"
)
_api_lock = threading.Lock()


def load_binding(api_version: int) -> Any:
    """Import ``fdb`` and select ``api_version`` once per process."""
    try:
        import fdb
    except ImportError:
        raise errors.StoreUnavailable(
            f"the foundationdb package is missing: {INSTALL_HINT}"
        ) from None
    with _api_lock:
        try:
            fdb.api_version(api_version)
        except Exception as exc:  # the binding raises bare Exception for a missing library
            raise errors.StoreUnavailable(
                f"FoundationDB client unusable ({exc}): {INSTALL_HINT}"
            ) from None
    return fdb


class FoundationDBDatabase(Database):
    backend_name = "foundationdb"

    def __init__(
        self,
        *,
        cluster_file: str,
        api_version: int = 730,
        retry_limit: int = 20,
        timeout_ms: int = 5000,
        **_: object,
    ) -> None:
        super().__init__(retry_limit=retry_limit)
        self._fdb = load_binding(api_version)
        self.cluster_file = cluster_file
        try:
            self._db = self._fdb.open(cluster_file or None)
        except self._fdb.FDBError as exc:
            raise errors.StoreUnavailable(
                f"cannot open FoundationDB cluster {cluster_file}: {exc}"
            ) from None
        # Without a timeout a read against an unreachable cluster waits forever.
        self._db.options.set_transaction_timeout(timeout_ms)

    def describe(self) -> str:
        return f"foundationdb (cluster file {self.cluster_file or 'default'})"

    def create_transaction(self) -> FoundationDBTransaction:
        return FoundationDBTransaction(self._fdb, self._db.create_transaction())

    def create_watch_hub(self) -> WatchHub:
        return FoundationDBWatchHub(self._fdb, self._db)


class FoundationDBWatchHub(WatchHub):
    """One ``tr.watch(key)`` per armed key, committed so that it is live."""

    def __init__(self, fdb: Any, db: Any) -> None:
        super().__init__()
        self._fdb = fdb
        self._db = db

    def arm(self, shared: KeyWatch) -> None:
        tr = self._db.create_transaction()
        while True:
            try:
                future = tr.watch(shared.key)
                tr.commit().wait()
                break
            except self._fdb.FDBError as exc:
                try:
                    tr.on_error(exc).wait()
                except self._fdb.FDBError as final:
                    raise _converted(final) from None
        shared.handle = future
        # Fires on a change, on an error (too many watches: 1032) and on
        # cancel; a wake without a change is safe, waiters re-read.
        future.on_ready(lambda _f: self._fire(shared))

    def disarm(self, shared: KeyWatch) -> None:
        if shared.handle is not None:
            shared.handle.cancel()


def _wrap(fdb: Any, call: Any) -> Any:
    try:
        return call()
    except fdb.FDBError as exc:
        raise _converted(exc) from None


def _converted(exc: Any) -> errors.FDBError:
    """The binding's ``FDBError`` as ours, with its code and description."""
    description = exc.description
    if isinstance(description, bytes):
        description = description.decode()
    return errors.FDBError(exc.code, str(description))


class _Reads(ReadOperations):
    def __init__(self, fdb: Any, reader: Any) -> None:
        self._fdb = fdb
        self._reader = reader

    def get(self, key: bytes) -> bytes | None:
        return _wrap(self._fdb, lambda: _present(self._reader.get(key).wait()))

    def get_many(self, keys: Sequence[bytes]) -> list[bytes | None]:
        # Issue every read before waiting on any: one round trip, not len(keys).
        def run() -> list[bytes | None]:
            futures = [self._reader.get(key) for key in keys]
            return [_present(future.wait()) for future in futures]

        return _wrap(self._fdb, run)

    def get_range(
        self, begin: bytes, end: bytes, limit: int = 0, reverse: bool = False
    ) -> list[KeyValue]:
        def run() -> list[KeyValue]:
            rows = self._reader.get_range(
                begin,
                end,
                limit=limit,
                reverse=reverse,
                streaming_mode=self._fdb.StreamingMode.want_all,
            )
            return [KeyValue(bytes(kv.key), bytes(kv.value)) for kv in rows]

        return _wrap(self._fdb, run)


def _present(value: Any) -> bytes | None:
    return bytes(value) if value.present() else None


class FoundationDBTransaction(_Reads, Transaction):
    def __init__(self, fdb: Any, tr: Any) -> None:
        super().__init__(fdb, tr)
        self._tr = tr

    @property
    def snapshot(self) -> ReadOperations:
        return _Reads(self._fdb, self._tr.snapshot)

    def set(self, key: bytes, value: bytes) -> None:
        _wrap(self._fdb, lambda: self._tr.set(key, value))

    def clear(self, key: bytes) -> None:
        _wrap(self._fdb, lambda: self._tr.clear(key))

    def clear_range(self, begin: bytes, end: bytes) -> None:
        _wrap(self._fdb, lambda: self._tr.clear_range(begin, end))

    def add(self, key: bytes, param: bytes) -> None:
        _wrap(self._fdb, lambda: self._tr.add(key, param))

    def commit(self) -> None:
        _wrap(self._fdb, lambda: self._tr.commit().wait())

    def on_error(self, error: errors.FDBError) -> None:
        # The binding's on_error decides: it backs off and resets for what it
        # retries (the codes in errors.RETRY_TABLE and any the client adds),
        # and fails with the code it cannot retry -- raised as the error itself.
        try:
            self._tr.on_error(error.code).wait()
        except self._fdb.FDBError as exc:
            if exc.code == error.code:
                raise error from None
            raise _converted(exc) from None

    def reset(self) -> None:
        self._tr.reset()
