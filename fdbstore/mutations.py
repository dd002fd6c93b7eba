"""Pure helpers shared by the backends that apply mutations themselves."""

from __future__ import annotations

from fdbstore import errors, limits


def apply_add(existing: bytes | None, param: bytes) -> bytes:
    """FoundationDB's ADD: little-endian sum, truncated to ``len(param)``."""
    width = len(param)
    base = (existing or b"")[:width].ljust(width, b"\x00")
    total = int.from_bytes(base, "little") + int.from_bytes(param, "little")
    return (total % (1 << (8 * width))).to_bytes(width, "little") if width else b""


def check_key(key: bytes) -> None:
    if not isinstance(key, bytes):
        raise TypeError(f"keys are bytes, got {type(key).__name__}")
    if len(key) > limits.KEY_SIZE_LIMIT:
        raise errors.FDBError(errors.KEY_TOO_LARGE)
    if key.startswith(b"\xff"):
        # FoundationDB reserves the \xff system keyspace.
        raise errors.FDBError(errors.KEY_OUTSIDE_LEGAL_RANGE)


def check_value(value: bytes) -> None:
    if not isinstance(value, bytes):
        raise TypeError(f"values are bytes, got {type(value).__name__}")
    if len(value) > limits.VALUE_SIZE_LIMIT:
        raise errors.FDBError(errors.VALUE_TOO_LARGE)


def check_range(begin: bytes, end: bytes) -> None:
    if not isinstance(begin, bytes) or not isinstance(end, bytes):
        raise TypeError("range bounds are bytes")
    if begin > end:
        raise errors.FDBError(errors.INVERTED_RANGE)
