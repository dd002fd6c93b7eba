"""Reading a workspace file's bytes for MCP: one range, text or not.

The REST download streams a range of the file's current blob; a tool needs
the bytes in hand, bounded. ``file_bytes`` reads a small file with its entry
in one transaction; of a bigger one it reads the range of the version it
found, looking it up again if it was replaced meanwhile."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.records import Principal
from fdbstore.blobs import BlobMissing, blob_read
from fdbstore.connection import get_database
from files.errors import Conflict, IsADirectory
from files.records import Entry
from files.selectors import SMALL_FILE_BYTES, file_fetch

READ_MAX_BYTES = 256 * 1024  # one file_read call; more in ranges (offset, nextOffset)
ATTEMPTS = 3


@dataclass(frozen=True)
class Chunk:
    entry: Entry
    offset: int
    data: bytes


def file_bytes(
    *, principal: Principal, session_id: str, parts: tuple[str, ...], offset: int, length: int
) -> Chunk:
    """Up to ``length`` bytes of the file from ``offset`` (fewer at its end)."""
    for _attempt in range(ATTEMPTS):
        try:
            fetched = file_fetch(
                principal=principal, session_id=session_id, parts=parts, small=SMALL_FILE_BYTES
            )
        except BlobMissing:
            continue
        entry = fetched.entry
        if entry.is_dir:
            raise IsADirectory("This path names a directory; list it with files_list.")
        start = min(offset, entry.size)
        stop = min(entry.size, start + length)
        if stop <= start:
            return Chunk(entry, start, b"")
        if fetched.content is not None:
            return Chunk(entry, start, fetched.content[start:stop])
        try:
            pieces = blob_read(get_database(), entry.blob, entry.size, start=start, stop=stop)
            return Chunk(entry, start, b"".join(pieces))
        except BlobMissing:  # replaced since the stat: read the new version
            continue
    raise Conflict("The file kept changing while it was read; try again.")


def as_text(data: bytes, *, length: int) -> tuple[str, int] | None:
    """The first ``length`` bytes of ``data`` as UTF-8 text, and how many bytes that
    is; None for binary content (a NUL byte, or bytes that are not UTF-8).

    ``data`` may hold up to 3 bytes past ``length``: the text ends on a character
    boundary, before ``length`` when a character straddles it, or just past it when
    that character is all the range holds."""
    cut = min(length, len(data))
    while 0 < cut < len(data) and _continuation(data[cut]):
        cut -= 1
    if cut == 0 and data:
        cut = 1
        while cut < len(data) and _continuation(data[cut]):
            cut += 1
    head = data[:cut]
    if b"\x00" in head:
        return None
    try:
        return head.decode("utf-8"), cut
    except UnicodeDecodeError:
        return None


def _continuation(byte: int) -> bool:
    return byte & 0xC0 == 0x80


def leading_continuation(data: bytes) -> int:
    """How many of ``data``'s first bytes continue a character begun before it (0-3)."""
    skip = 0
    while skip < min(3, len(data)) and _continuation(data[skip]):
        skip += 1
    return skip
