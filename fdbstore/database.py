"""The database handle and the retry loop that composes.

``Database.transact(fn)`` opens a transaction, runs ``fn(tr)``, commits, and
hands every ``FDBError`` to the transaction's ``on_error``, as the binding's
own loop does: it backs off and resets for a retryable code, and re-raises any
other. On FoundationDB that is the binding's ``on_error``; on the other
backends, the table in ``fdbstore/errors.py``. Retries are bounded by
``retry_limit``; past it the last error is raised. ``@transactional`` makes a
function accept either a database (it then runs in its own retried
transaction) or a transaction (it joins it, so functions compose) -- the
binding's own ``@fdb.transactional`` contract.
"""

from __future__ import annotations

import abc
import functools
import inspect
import os
from collections.abc import Callable
from typing import Any, TypeVar

from fdbstore import errors
from fdbstore.blobcache import BlobCache
from fdbstore.mutations import check_key
from fdbstore.transaction import Transaction
from fdbstore.watches import Watch, WatchHub

T = TypeVar("T")


class Database(abc.ABC):
    """A handle to one store. Backends implement ``create_transaction``."""

    backend_name = "abstract"

    def __init__(self, *, retry_limit: int = 20) -> None:
        self.retry_limit = retry_limit
        # Off unless the handle was opened from settings (open_database).
        self.blob_cache = BlobCache(0)
        self._watch_hub: WatchHub | None = None
        self._watch_pid = 0

    @abc.abstractmethod
    def create_transaction(self) -> Transaction:
        """Return a new transaction on this database."""

    def describe(self) -> str:
        """Return where the data lives, for status output and health checks."""
        return self.backend_name

    def close(self) -> None:
        """Release connections and files; the handle is unusable afterwards."""
        self.close_watches()

    # -- watches (fdbstore/watches.py) -------------------------------------------
    def watch(self, key: bytes) -> Watch:
        """Return a ``Watch`` on ``key``, armed when this returns; close it after use."""
        check_key(key)
        return self.watch_hub().watch(key)

    def watch_hub(self) -> WatchHub:
        """This process's hub (a fork starts a new one: threads do not cross it)."""
        hub = self._watch_hub
        if hub is None or self._watch_pid != os.getpid():
            hub = self._watch_hub = self.create_watch_hub()
            self._watch_pid = os.getpid()
        return hub

    def create_watch_hub(self) -> WatchHub:
        """Override where the backend learns of commits other than through ``notify``."""
        return WatchHub()

    def notify_watches(self, ranges: list[tuple[bytes, bytes]]) -> None:
        """Called by a backend after a commit of this process with its write ranges."""
        hub = self._watch_hub
        if hub is not None and self._watch_pid == os.getpid():
            hub.notify(ranges)

    def close_watches(self) -> None:
        hub, self._watch_hub = self._watch_hub, None
        if hub is not None and self._watch_pid == os.getpid():
            hub.close()

    def transact(self, fn: Callable[[Transaction], T]) -> T:
        """Run ``fn`` in a committed transaction, retrying what ``on_error`` accepts."""
        tr = self.create_transaction()
        attempts = 0
        while True:
            try:
                result = fn(tr)
                tr.commit()
                return result
            except errors.FDBError as error:
                attempts += 1
                try:
                    if attempts > self.retry_limit:
                        raise
                    tr.on_error(error)  # backs off, or raises what it cannot retry
                except BaseException:
                    tr.reset()
                    raise
            except BaseException:
                tr.reset()
                raise


def transactional(func: Callable[..., T]) -> Callable[..., T]:
    """Let ``func(tr, ...)`` take a ``Database`` or a ``Transaction`` as ``tr``.

    The body may run several times, so it must be safe to retry: no e-mail
    sent, no generator returned, side effects only after commit.
    """
    index = inspect.getfullargspec(func).args.index("tr")

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        if "tr" in kwargs:
            target = kwargs["tr"]
            if isinstance(target, Database):
                return target.transact(lambda tr: func(*args, **{**kwargs, "tr": tr}))
            return func(*args, **kwargs)
        target = args[index]
        if isinstance(target, Database):

            def run(tr: Transaction) -> T:
                return func(*args[:index], tr, *args[index + 1 :], **kwargs)

            return target.transact(run)
        return func(*args, **kwargs)

    return wrapper
