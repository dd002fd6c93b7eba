"""The blob cache: a least-recently-used map of blob id to bytes within a byte budget."""

from __future__ import annotations

import random
import threading
import uuid

from fdbstore.blobcache import ITEM_OVERHEAD, BlobCache
from fdbstore.conf import DEFAULTS
from fdbstore.connection import open_database


def _ids(n: int) -> list[uuid.UUID]:
    return [uuid.uuid4() for _ in range(n)]


def test_it_evicts_the_least_recently_used_first():
    a, b, c = _ids(3)
    cache = BlobCache(3 * (100 + ITEM_OVERHEAD))
    cache.put(a, b"a" * 100)
    cache.put(b, b"b" * 100)
    cache.put(c, b"c" * 100)
    assert cache.get(a) == b"a" * 100  # a is now the most recent
    cache.put(uuid.uuid4(), b"d" * 100)  # over budget: b goes, not a
    assert cache.get(b) is None
    assert cache.get(a) == b"a" * 100 and cache.get(c) == b"c" * 100
    assert cache.size == 3 * (100 + ITEM_OVERHEAD) and len(cache) == 3


def test_counts_hits_and_misses_and_reads_only_on_a_miss():
    (blob,) = _ids(1)
    cache = BlobCache(1 << 20)
    reads = []

    def read() -> bytes:
        reads.append(1)
        return b"content"

    assert cache.get_or_read(blob, read) == b"content"
    assert cache.get_or_read(blob, read) == b"content"
    assert len(reads) == 1 and (cache.hits, cache.misses) == (1, 1)


def test_a_blob_over_the_item_limit_or_a_zero_budget_is_not_kept():
    big, small = _ids(2)
    cache = BlobCache(10 << 20, max_item_bytes=1000)
    cache.put(big, b"x" * 1001)
    cache.put(small, b"x" * 1000)
    assert cache.get(big) is None and cache.get(small) is not None
    off = BlobCache(0)
    off.put(small, b"")
    assert off.get(small) is None and off.size == 0 and len(off) == 0


def test_the_overhead_per_entry_bounds_how_many_empty_blobs_it_holds():
    cache = BlobCache(10 * ITEM_OVERHEAD)
    for blob in _ids(1000):
        cache.put(blob, b"")
    assert len(cache) == 10 and cache.size == 10 * ITEM_OVERHEAD


def test_putting_an_id_again_replaces_its_bytes_and_its_charge():
    (blob,) = _ids(1)
    cache = BlobCache(1 << 20)
    cache.put(blob, b"x" * 500)
    cache.put(blob, b"y" * 200)
    assert cache.get(blob) == b"y" * 200 and cache.size == 200 + ITEM_OVERHEAD


def test_threads_sharing_it_keep_its_accounts_exact():
    ids = _ids(64)
    cache = BlobCache(20 * (1000 + ITEM_OVERHEAD))

    def work(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(3000):
            blob = rng.choice(ids)
            if rng.random() < 0.5:
                cache.put(blob, bytes([ids.index(blob)]) * rng.randrange(1, 1000))
            else:
                data = cache.get(blob)
                assert data is None or set(data) == {ids.index(blob)}

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    held = [cache.get(blob) for blob in ids]
    charged = sum(len(data) + ITEM_OVERHEAD for data in held if data is not None)
    assert cache.size == charged <= cache.max_bytes


def test_a_handle_opened_from_settings_has_one_of_the_configured_size(tmp_path):
    config = {"BACKEND": "memory", "PATH": str(tmp_path / "unused")}
    db = open_database(config)
    try:
        assert db.blob_cache.max_bytes == DEFAULTS["BLOB_CACHE_BYTES"]
    finally:
        db.close()
    db = open_database({**config, "BLOB_CACHE_BYTES": 0})
    try:
        assert db.blob_cache.max_bytes == 0
    finally:
        db.close()
