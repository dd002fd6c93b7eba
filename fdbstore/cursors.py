"""Continuation cursors: an opaque, URL-safe encoding of the last key read.

A page is a bounded range read that starts just after (or, newest first,
just before) the cursor's key: never an offset, so page N costs what page 1
costs. Cursors are relative to the subspace being paged, so a cursor can only
move within the range its caller is allowed to read.
"""

from __future__ import annotations

import base64
from typing import Any

from fdb import tuple as fdbtuple


class InvalidCursor(ValueError):
    """The cursor was not produced by this API."""


def encode_cursor(suffix: tuple[Any, ...]) -> str:
    return base64.urlsafe_b64encode(fdbtuple.pack(suffix)).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[Any, ...]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        suffix = fdbtuple.unpack(raw)
    except Exception as exc:  # any malformed input, whatever the tuple layer raises
        raise InvalidCursor("cursor is not valid") from exc
    if not suffix or len(cursor) > 512:
        raise InvalidCursor("cursor is not valid")
    return suffix
