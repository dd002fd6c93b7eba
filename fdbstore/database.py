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
from collections.abc import Callable
from typing import Any, TypeVar

from fdbstore import errors
from fdbstore.transaction import Transaction

T = TypeVar("T")


class Database(abc.ABC):
    """A handle to one store. Backends implement ``create_transaction``."""

    backend_name = "abstract"

    def __init__(self, *, retry_limit: int = 20) -> None:
        self.retry_limit = retry_limit

    @abc.abstractmethod
    def create_transaction(self) -> Transaction:
        """Return a new transaction on this database."""

    def describe(self) -> str:
        """Return where the data lives, for status output and health checks."""
        return self.backend_name

    def close(self) -> None:
        """Release connections and files; the handle is unusable afterwards."""
        return None

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
