"""Store errors, with FoundationDB's own error codes.

Every backend raises ``FDBError`` with the code FoundationDB would use, so code
(and tests) written against the embedded store behave the same on a cluster.
"""

from __future__ import annotations

# FoundationDB error codes this project relies on (see FoundationDB's
# "Error Codes" reference).
TRANSACTION_TOO_OLD = 1007
NOT_COMMITTED = 1020
COMMIT_UNKNOWN_RESULT = 1021
TRANSACTION_CANCELLED = 1025
TRANSACTION_TIMED_OUT = 1031
CLIENT_INVALID_OPERATION = 2000
KEY_OUTSIDE_LEGAL_RANGE = 2004
INVERTED_RANGE = 2005
TRANSACTION_TOO_LARGE = 2101
KEY_TOO_LARGE = 2102
VALUE_TOO_LARGE = 2103

DESCRIPTIONS = {
    TRANSACTION_TOO_OLD: "Transaction is too old to perform reads or be committed",
    NOT_COMMITTED: "Transaction not committed due to conflict with another transaction",
    COMMIT_UNKNOWN_RESULT: "Transaction may or may not have committed",
    TRANSACTION_CANCELLED: "Operation aborted because the transaction was cancelled",
    TRANSACTION_TIMED_OUT: "Operation aborted because the transaction timed out",
    CLIENT_INVALID_OPERATION: "Invalid API call",
    KEY_OUTSIDE_LEGAL_RANGE: "Key outside legal range",
    INVERTED_RANGE: "Range begin key larger than end key",
    TRANSACTION_TOO_LARGE: "Transaction exceeds byte limit",
    KEY_TOO_LARGE: "Key length exceeds limit",
    VALUE_TOO_LARGE: "Value length exceeds limit",
}

# The codes the retry loop runs a transaction again for, as FoundationDB's
# ``on_error`` does. 1021 is retried too: writes must therefore be idempotent.
RETRYABLE = frozenset({TRANSACTION_TOO_OLD, NOT_COMMITTED, COMMIT_UNKNOWN_RESULT})


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


class UniqueViolation(StoreError, ValueError):
    """A unique index already maps the value to another record."""

    def __init__(self, index: str, value: object) -> None:
        self.index = index
        self.value = value
        super().__init__(f"{index}: {value!r} is already taken")
