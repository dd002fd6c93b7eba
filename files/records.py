"""Directory entries: what a name in a directory points at.

An entry is stored at ``file_entries/(session, parent_dir_id, name)`` as compact
JSON (schema version 1)::

    {"v": 1, "t": "d", "id": <dir id>, "at": <ms>}
    {"v": 1, "t": "f", "id": <file id>, "b": <blob id>, "n": <size>, "ct": <type>, "at": <ms>}

A directory's ``id`` is where its children live; a file's ``id`` stays the same
across rewrites and moves, while ``blob`` names its current content (a new
blob per write) and is its ETag.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from fdbstore.codec import CodecError

FILE, DIRECTORY = "file", "directory"
ROOT_ID = uuid.UUID(int=0)  # every session's root directory


@dataclass(frozen=True)
class Entry:
    kind: str  # FILE or DIRECTORY
    id: uuid.UUID
    updated_ms: int
    blob: uuid.UUID | None = None
    size: int = 0
    content_type: str = ""

    @property
    def is_dir(self) -> bool:
        return self.kind == DIRECTORY

    @property
    def etag(self) -> str | None:
        return None if self.blob is None else f'"{self.blob.hex}"'

    @property
    def updated_at(self) -> datetime:
        return datetime.fromtimestamp(self.updated_ms / 1000, UTC)


def encode_entry(entry: Entry) -> bytes:
    data: dict[str, object] = {
        "v": 1,
        "t": entry.kind[0],
        "id": entry.id.hex,
        "at": entry.updated_ms,
    }
    if entry.kind == FILE:
        data.update(
            {"b": entry.blob.hex if entry.blob else None, "n": entry.size, "ct": entry.content_type}
        )
    return json.dumps(data, separators=(",", ":")).encode()


def decode_entry(raw: bytes) -> Entry:
    try:
        data = json.loads(raw)
        if data["v"] != 1:
            raise CodecError(f"unknown file entry version {data['v']!r}")
        common = {"id": uuid.UUID(hex=data["id"]), "updated_ms": int(data["at"])}
        if data["t"] == "d":
            return Entry(DIRECTORY, **common)
        if data["t"] == "f":
            return Entry(
                FILE,
                blob=uuid.UUID(hex=data["b"]),
                size=int(data["n"]),
                content_type=str(data["ct"]),
                **common,
            )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CodecError(f"undecodable file entry: {exc}") from None
    raise CodecError(f"unknown file entry type {data.get('t')!r}")
