"""Store errors, with FoundationDB's own error codes.

Every backend raises ``FDBError`` with the code FoundationDB would use, so code
(and tests) written against the embedded store behave the same on a cluster.
"""

from __future__ import annotations

from typing import NamedTuple

# FoundationDB error codes this project relies on (see FoundationDB's
# "Error Codes" reference).
TIMED_OUT = 1004
TRANSACTION_TOO_OLD = 1007
FUTURE_VERSION = 1009
NOT_COMMITTED = 1020
COMMIT_UNKNOWN_RESULT = 1021
TRANSACTION_CANCELLED = 1025
TRANSACTION_TIMED_OUT = 1031
PROCESS_BEHIND = 1037
DATABASE_LOCKED = 1038
CLUSTER_VERSION_CHANGED = 1039
PROXY_MEMORY_LIMIT_EXCEEDED = 1042
BATCH_TRANSACTION_THROTTLED = 1051
GRV_PROXY_MEMORY_LIMIT_EXCEEDED = 1078
TAG_THROTTLED = 1213
CLIENT_INVALID_OPERATION = 2000
KEY_OUTSIDE_LEGAL_RANGE = 2004
INVERTED_RANGE = 2005
RANGE_LIMITS_INVALID = 2012
TRANSACTION_TOO_LARGE = 2101
KEY_TOO_LARGE = 2102
VALUE_TOO_LARGE = 2103

DESCRIPTIONS = {
    TIMED_OUT: "Operation timed out",
    TRANSACTION_TOO_OLD: "Transaction is too old to perform reads or be committed",
    FUTURE_VERSION: "Request for future version",
    NOT_COMMITTED: "Transaction not committed due to conflict with another transaction",
    COMMIT_UNKNOWN_RESULT: "Transaction may or may not have committed",
    TRANSACTION_CANCELLED: "Operation aborted because the transaction was cancelled",
    TRANSACTION_TIMED_OUT: "Operation aborted because the transaction timed out",
    PROCESS_BEHIND: "Storage process does not have recent mutations",
    DATABASE_LOCKED: "Database is locked",
    CLUSTER_VERSION_CHANGED: "The protocol version of the cluster has changed",
    PROXY_MEMORY_LIMIT_EXCEEDED: "CommitProxy commit memory limit exceeded",
    BATCH_TRANSACTION_THROTTLED: "Batch GRV request rate limit exceeded",
    GRV_PROXY_MEMORY_LIMIT_EXCEEDED: "GetReadVersion proxy memory limit exceeded",
    TAG_THROTTLED: "Transaction tag is being throttled",
    CLIENT_INVALID_OPERATION: "Invalid API call",
    KEY_OUTSIDE_LEGAL_RANGE: "Key outside legal range",
    INVERTED_RANGE: "Range begin key larger than end key",
    RANGE_LIMITS_INVALID: "Range limits not valid",
    TRANSACTION_TOO_LARGE: "Transaction exceeds byte limit",
    KEY_TOO_LARGE: "Key length exceeds limit",
    VALUE_TOO_LARGE: "Value length exceeds limit",
}


class Retry(NamedTuple):
    """How FoundationDB's ``on_error`` treats a code (``fdb.predicates``)."""

    retryable: bool
    maybe_committed: bool


# The one table of retry decisions: what FoundationDB 7.3.79's predicates
# ``is_retryable`` / ``is_maybe_committed`` answer for each code the client
# can see (tests/fdbstore/test_retry.py checks it against the C library where
# it is present). The memory and embedded backends retry exactly these; the
# FoundationDB backend asks the binding's ``on_error``, which agrees. A code
# missing here is neither. Maybe-committed codes are retried too, so every
# transaction body must be idempotent.
RETRY_TABLE: dict[int, Retry] = {
    TRANSACTION_TOO_OLD: Retry(retryable=True, maybe_committed=False),
    FUTURE_VERSION: Retry(retryable=True, maybe_committed=False),
    NOT_COMMITTED: Retry(retryable=True, maybe_committed=False),
    COMMIT_UNKNOWN_RESULT: Retry(retryable=True, maybe_committed=True),
    PROCESS_BEHIND: Retry(retryable=True, maybe_committed=False),
    DATABASE_LOCKED: Retry(retryable=True, maybe_committed=False),
    CLUSTER_VERSION_CHANGED: Retry(retryable=True, maybe_committed=True),
    PROXY_MEMORY_LIMIT_EXCEEDED: Retry(retryable=True, maybe_committed=False),
    BATCH_TRANSACTION_THROTTLED: Retry(retryable=True, maybe_committed=False),
    GRV_PROXY_MEMORY_LIMIT_EXCEEDED: Retry(retryable=True, maybe_committed=False),
    TAG_THROTTLED: Retry(retryable=True, maybe_committed=False),
    TIMED_OUT: Retry(retryable=False, maybe_committed=False),
    TRANSACTION_CANCELLED: Retry(retryable=False, maybe_committed=False),
    TRANSACTION_TIMED_OUT: Retry(retryable=False, maybe_committed=False),
    RANGE_LIMITS_INVALID: Retry(retryable=False, maybe_committed=False),
}
RETRYABLE = frozenset(code for code, retry in RETRY_TABLE.items() if retry.retryable)
MAYBE_COMMITTED = frozenset(code for code, retry in RETRY_TABLE.items() if retry.maybe_committed)

# FoundationDB's 2xxx codes: "the client did something illegal" (2012, 2101,
# ...). A retry cannot cure them: they are bugs in the caller, not outages.
CLIENT_MISUSE = range(2000, 3000)


class StoreError(Exception):
    """Root of every error fdbstore raises."""


class FDBError(StoreError):
    """An error carrying a FoundationDB error code."""

    def __init__(self, code: int, description: str | None = None) -> None:
        self.code = code
        self.description = description or DESCRIPTIONS.get(code, "Unknown error")
        super().__init__(f"{self.description} ({code})")

    @property
    def retryable(self) -> bool:
        return self.code in RETRYABLE


class StoreUnavailable(StoreError):
    """The store cannot be opened or reached (missing library, bad path, no cluster)."""


class LayoutVersionError(StoreError):
    """The store's key layout is newer than this code understands."""


def means_unavailable(error: StoreError) -> bool:
    """Whether ``error`` means "try again later" (a 503), not a bug in the caller.

    True for an unreachable store and for every code but the client-misuse
    ones: the retryable codes of ``RETRY_TABLE`` that the loop gave up on (a
    busy or recovering cluster), timeouts (1031, 1004), and any other code the
    cluster sends."""
    return not (isinstance(error, FDBError) and error.code in CLIENT_MISUSE)


class UniqueViolation(StoreError, ValueError):
    """A unique index already maps the value to another record."""

    def __init__(self, index: str, value: object) -> None:
        self.index = index
        self.value = value
        super().__init__(f"{index}: {value!r} is already taken")
