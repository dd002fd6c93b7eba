"""``fdbstore_check`` for the file trees: every file entry's blob is whole.

Reported as an ``IndexReport`` named ``files``: a *missing* finding is a file
entry whose blob lacks chunks (key: the entry), which no repair can restore;
an undecodable entry is reported as such. Two bounded walks, one of the
entries, one of the chunk keys (a blob's chunk count is checked against the
size its entry gives). Published blobs that no entry names are not reported:
other apps (avatars, A2A parts) keep blobs in the same space, and only they
know theirs; dead uploads are ``purge_expired``'s business.
"""

from __future__ import annotations

import uuid

from fdbstore import scan
from fdbstore.blobs import CHUNK_SIZE
from fdbstore.checks import IndexReport
from fdbstore.codec import CodecError
from fdbstore.database import Database
from fdbstore.keys import keyspace
from files.records import decode_entry


def check_files(db: Database, *, repair: bool = False) -> IndexReport:
    ks = keyspace()
    report = IndexReport("files")
    wanted: dict[uuid.UUID, tuple[int, bytes]] = {}  # blob -> (chunks, entry key)
    span = ks.file_entries.range()
    for row in scan.pairs(db, span.start, span.stop):
        report.records += 1
        try:
            entry = decode_entry(row.value)
        except CodecError:
            report.undecodable.append(row.key)
            continue
        if entry.blob is not None:
            wanted[entry.blob] = (-(-entry.size // CHUNK_SIZE), row.key)
    found: dict[uuid.UUID, int] = {}
    span = ks.blob_chunks.range()
    for row in scan.pairs(db, span.start, span.stop):
        blob_id = ks.blob_chunks.unpack(row.key)[0]
        if blob_id in wanted:
            found[blob_id] = found.get(blob_id, 0) + 1
    for blob_id, (chunks, entry_key) in wanted.items():
        if found.get(blob_id, 0) != chunks:
            report.missing.append(("blob", entry_key, b""))
    return report
