"""FoundationDB's size and time limits, enforced by every backend."""

KEY_SIZE_LIMIT = 10_000
VALUE_SIZE_LIMIT = 100_000
TRANSACTION_SIZE_LIMIT = 10_000_000
TRANSACTION_TIME_LIMIT_S = 5.0
