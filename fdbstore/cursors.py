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
    """Return the key suffix ``cursor`` encodes; raise ``InvalidCursor`` otherwise.

    Only the canonical encoding is accepted: the suffix must encode back to
    the very cursor it came from. That refuses forged cursors the tuple layer
    can read but not write (an incomplete versionstamp would otherwise fail
    later, inside the range read, as an unhandled error) and other spellings
    of a valid key (stray characters, non-canonical integers)."""
    if not isinstance(cursor, str) or not cursor or len(cursor) > 512:
        raise InvalidCursor("cursor is not valid")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        suffix = fdbtuple.unpack(raw)
        canonical = encode_cursor(suffix) == cursor
    except Exception as exc:  # any malformed input, whatever the tuple layer raises
        raise InvalidCursor("cursor is not valid") from exc
    if not suffix or not canonical:
        raise InvalidCursor("cursor is not valid")
    return suffix
