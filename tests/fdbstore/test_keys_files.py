"""The blob and file keys (issue 11) pin their exact bytes (encoding: test_keys.py)."""

from __future__ import annotations

from uuid import UUID

from fdbstore.keys import Keyspace

BLOB = UUID("00112233-4455-6677-8899-aabbccddeeff")
SESSION = UUID("01890a5d-ac96-774b-bcce-b302099a8057")
TENANT = UUID("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
NIL = UUID(int=0)

KS = Keyspace("coditect")
B = b"\x30\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff"
S = b"\x30\x01\x89\x0a\x5d\xac\x96\x77\x4b\xbc\xce\xb3\x02\x09\x9a\x80\x57"
T = b"\x30\x0f\x1e\x2d\x3c\x4b\x5a\x69\x78\x87\x96\xa5\xb4\xc3\xd2\xe1\xf0"


def test_blob_chunk_key():
    assert KS.blob_chunk(BLOB, 0) == b"\x02coditect\x00\x02blob_chunks\x00" + B + b"\x14"
    assert KS.blob_chunk(BLOB, 300) == b"\x02coditect\x00\x02blob_chunks\x00" + B + b"\x16\x01\x2c"


def test_blob_chunks_sort_by_number():
    assert KS.blob_chunk(BLOB, 9) < KS.blob_chunk(BLOB, 10) < KS.blob_chunk(BLOB, 256)


def test_blob_marker_key():
    assert KS.blob_marker(BLOB) == b"\x02coditect\x00\x02blob_pending\x00" + B


def test_file_entry_key():
    assert KS.file_entry(SESSION, NIL, "a\x00é") == (
        b"\x02coditect\x00\x02file_entries\x00"
        + S
        + b"\x30"
        + bytes(16)
        + b"\x02a\x00\xff\xc3\xa9\x00"
    )


def test_file_usage_key():
    assert KS.file_usage_counter(TENANT, "files") == (
        b"\x02coditect\x00\x02file_usage\x00" + T + b"\x02files\x00"
    )


def test_file_trash_key():
    assert KS.file_trash_entry(SESSION, NIL) == (
        b"\x02coditect\x00\x02file_trash\x00" + S + b"\x30" + bytes(16)
    )
