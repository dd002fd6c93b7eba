"""Small blobs' bytes kept in this process's memory, by blob id.

A blob never changes: new content is a new blob under a fresh id
(``fdbstore/blobs.py``). So the bytes cached under an id are that blob's bytes
for as long as it exists, and a reader that found the id in its own snapshot
(in the record that names the blob) may take them from here instead of reading
the chunks again. Nothing is ever invalidated and nothing read is stale; a
blob deleted meanwhile only holds its share of the budget until it is evicted,
least recently used first.

Why: reading a 1 MiB file's chunks was a fifth of its download's time (SQLite
copies each 64 KiB value out of its overflow pages twice; on FoundationDB it is
a network read). docs/STORE.md, "Blob cache".

Each handle has its own (``Database.blob_cache``, sized by
``FDBSTORE_BLOB_CACHE_BYTES``; 0 turns it off), so a server worker, which opens
its handle after the fork, starts empty and never shares one across processes
or stores.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable

MAX_ITEM_BYTES = 1 << 20  # larger blobs are streamed (blob_read), never cached
ITEM_OVERHEAD = 128  # bytes charged per entry on top of its data: bounds the count too


class BlobCache:
    """A least-recently-used map of blob id to bytes, at most ``max_bytes`` in all.

    Thread-safe: a worker's Django threads share their handle's cache."""

    def __init__(self, max_bytes: int, max_item_bytes: int = MAX_ITEM_BYTES) -> None:
        self.max_bytes = max_bytes
        self.max_item_bytes = min(max_item_bytes, max_bytes - ITEM_OVERHEAD)
        self.size = 0  # bytes charged, overheads included
        self.hits = self.misses = 0
        self._items: OrderedDict[uuid.UUID, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, blob_id: uuid.UUID) -> bytes | None:
        with self._lock:
            data = self._items.get(blob_id)
            if data is None:
                self.misses += 1
                return None
            self._items.move_to_end(blob_id)
            self.hits += 1
            return data

    def put(self, blob_id: uuid.UUID, data: bytes) -> None:
        """Keep ``data`` as the bytes of ``blob_id``, unless it is too big to."""
        if len(data) > self.max_item_bytes:
            return
        with self._lock:
            old = self._items.pop(blob_id, None)
            if old is not None:
                self.size -= len(old) + ITEM_OVERHEAD
            self._items[blob_id] = data
            self.size += len(data) + ITEM_OVERHEAD
            while self.size > self.max_bytes:
                _, evicted = self._items.popitem(last=False)
                self.size -= len(evicted) + ITEM_OVERHEAD

    def get_or_read(self, blob_id: uuid.UUID, read: Callable[[], bytes]) -> bytes:
        """The cached bytes of ``blob_id``, else ``read()``'s, kept for the next reader.

        Call it only with an id just found in the caller's own snapshot: the cache
        cannot tell a live blob from a deleted one, the record that names it can."""
        data = self.get(blob_id)
        if data is None:
            data = read()
            self.put(blob_id, data)
        return data
