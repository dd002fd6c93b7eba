"""The transaction interface every backend implements: FoundationDB's model.

``Transaction`` leaves the core operations abstract (as Django's cache
``BaseCache`` does) and builds the conveniences -- prefix ranges, integer
``add``, batched ``get_many`` and the ``snapshot`` view -- once on top of them.
"""

from __future__ import annotations

import abc
import struct
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from fdbstore import errors


class KeyValue(NamedTuple):
    key: bytes
    value: bytes


def strinc(prefix: bytes) -> bytes:
    """Return the first key after every key that starts with ``prefix``."""
    stripped = prefix.rstrip(b"\xff")
    if not stripped:
        raise ValueError("prefix must contain a byte other than 0xff")
    return stripped[:-1] + bytes([stripped[-1] + 1])


def key_after(key: bytes) -> bytes:
    """Return the smallest key greater than ``key``."""
    return key + b"\x00"


def encode_int(value: int) -> bytes:
    """Encode ``value`` as FoundationDB's 8-byte little-endian counter operand."""
    return struct.pack("<q", value)


def decode_int(raw: bytes | None) -> int:
    """Decode a counter written by ``add``; a missing key counts as zero."""
    if not raw:
        return 0
    return int.from_bytes(raw[:8].ljust(8, b"\x00"), "little", signed=True)


class ReadOperations(abc.ABC):
    """Reads shared by a transaction and its snapshot view."""

    @abc.abstractmethod
    def get(self, key: bytes) -> bytes | None:
        """Return the value at ``key`` or None."""

    @abc.abstractmethod
    def get_range(
        self, begin: bytes, end: bytes, limit: int = 0, reverse: bool = False
    ) -> list[KeyValue]:
        """Return pairs with ``begin <= key < end`` in byte order (0 = no limit)."""

    def get_many(self, keys: Sequence[bytes]) -> list[bytes | None]:
        """Return the values of ``keys`` in order; one round trip on FoundationDB.

        Override where the backend can batch the reads."""
        return [self.get(key) for key in keys]

    def get_range_startswith(
        self, prefix: bytes, limit: int = 0, reverse: bool = False
    ) -> list[KeyValue]:
        return self.get_range(prefix, strinc(prefix), limit=limit, reverse=reverse)


class Transaction(ReadOperations):
    """One serializable transaction. Not thread-safe; use one per thread."""

    @property
    @abc.abstractmethod
    def snapshot(self) -> ReadOperations:
        """A view whose reads add no read conflicts."""

    @abc.abstractmethod
    def set(self, key: bytes, value: bytes) -> None: ...

    @abc.abstractmethod
    def clear(self, key: bytes) -> None: ...

    @abc.abstractmethod
    def clear_range(self, begin: bytes, end: bytes) -> None: ...

    @abc.abstractmethod
    def add(self, key: bytes, param: bytes) -> None:
        """Atomically add little-endian ``param`` to the value at ``key``."""

    @abc.abstractmethod
    def commit(self) -> None:
        """Commit; raises ``FDBError`` (1020 on conflict, 1021 when unknown)."""

    @abc.abstractmethod
    def on_error(self, error: errors.FDBError) -> None:
        """Back off and reset for a retryable error; raise it otherwise."""

    @abc.abstractmethod
    def reset(self) -> None:
        """Drop every read and write and start again."""

    def clear_range_startswith(self, prefix: bytes) -> None:
        self.clear_range(prefix, strinc(prefix))

    def add_int(self, key: bytes, delta: int) -> None:
        self.add(key, encode_int(delta))

    def set_many(self, items: Iterable[tuple[bytes, bytes]]) -> None:
        for key, value in items:
            self.set(key, value)
