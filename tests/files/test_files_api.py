"""The files endpoints, end to end through the test client."""

from __future__ import annotations

import uuid

from fdbstore import blobs
from tests.files.support import Files, body_of, new_session


def data_of(response) -> dict:
    assert response.status_code < 300, response.content
    return response.json()["data"]


def test_put_creates_then_replaces_with_metadata(files):
    created = files.put("src/app.py", b"print(1)\n", content_type="")
    assert created.status_code == 201
    entry = data_of(created)
    assert entry["path"] == "src/app.py" and entry["name"] == "app.py"
    assert entry["type"] == "file" and entry["size"] == 9
    assert entry["contentType"] == "text/x-python"
    assert created["ETag"] == entry["etag"]
    replaced = files.put("src/app.py", b"print(2)\n", content_type="text/plain")
    assert replaced.status_code == 200
    assert data_of(replaced)["etag"] != entry["etag"]
    assert data_of(replaced)["contentType"] == "text/plain"
    curl_default = files.put("b.json", b"{}", content_type="application/x-www-form-urlencoded")
    assert data_of(curl_default)["contentType"] == "application/json"  # guessed from the name


def test_get_returns_bytes_and_headers(files):
    etag = files.put("a.bin", b"\x00\x01hello")["ETag"]
    response = files.get("a.bin")
    assert response.status_code == 200
    assert body_of(response) == b"\x00\x01hello"
    assert response["ETag"] == etag
    assert response["Content-Length"] == "7"
    assert response["Content-Type"] == "application/octet-stream"
    assert "Last-Modified" in response
    head = files.head("a.bin")
    assert head.status_code == 200 and head["Content-Length"] == "7" and body_of(head) == b""


def test_whatever_the_client_accepts_a_file_is_its_bytes_and_an_error_is_json(files):
    files.put("page.html", b"<p>hi</p>", content_type="text/html")
    served = files.get("page.html", HTTP_ACCEPT="image/png")
    assert served.status_code == 200 and body_of(served) == b"<p>hi</p>"
    assert served["Content-Type"] == "text/html"
    missing = files.get("nothing.html", HTTP_ACCEPT="text/html")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/json"
    assert missing.json()["error"]["code"] == "file_not_found"
    listed = files.api.get(files.base, HTTP_ACCEPT="text/plain", **files.auth)
    assert listed.status_code == 200 and listed["Content-Type"] == "application/json"


def test_if_none_match_gives_304(files):
    etag = files.put("a.txt", b"x")["ETag"]
    assert files.get("a.txt", HTTP_IF_NONE_MATCH=etag).status_code == 304
    changed = files.get("a.txt", HTTP_IF_NONE_MATCH='"other"')
    assert changed.status_code == 200 and body_of(changed) == b"x"  # read after the stat


def test_conditional_puts(files):
    etag = files.put("a.txt", b"1")["ETag"]
    refused = files.put("a.txt", b"2", HTTP_IF_NONE_MATCH="*")
    assert refused.status_code == 412
    assert refused.json()["error"]["code"] == "precondition_failed"
    assert files.put("a.txt", b"2", HTTP_IF_MATCH='"nope"').status_code == 412
    assert files.put("new.txt", b"2", HTTP_IF_MATCH=etag).status_code == 412
    assert files.put("a.txt", b"2", HTTP_IF_MATCH=etag).status_code == 200
    assert files.put("a.txt", b"3", HTTP_IF_MATCH=etag).status_code == 412
    assert body_of(files.get("a.txt")) == b"2"
    assert files.put("b.txt", b"1", HTTP_IF_NONE_MATCH="*").status_code == 201


def test_ranges(files):
    files.put("r.bin", bytes(range(100)))
    part = files.get("r.bin", HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206
    assert body_of(part) == bytes(range(10, 20))
    assert part["Content-Range"] == "bytes 10-19/100"
    assert part["Content-Length"] == "10"
    assert body_of(files.get("r.bin", HTTP_RANGE="bytes=-5")) == bytes(range(95, 100))
    assert body_of(files.get("r.bin", HTTP_RANGE="bytes=98-")) == bytes([98, 99])
    assert body_of(files.get("r.bin", HTTP_RANGE="bytes=90-500")) == bytes(range(90, 100))
    outside = files.get("r.bin", HTTP_RANGE="bytes=100-")
    assert outside.status_code == 416 and outside["Content-Range"] == "bytes */100"
    assert files.get("r.bin", HTTP_RANGE="bytes=1-2,5-6").status_code == 200
    assert files.get("r.bin", HTTP_RANGE="bytes=1-2", HTTP_IF_RANGE='"old"').status_code == 200


def test_a_file_read_in_one_piece_is_one_body_and_a_bigger_one_streams(files):
    """Up to ``READ_CHUNKS`` chunks come back as a plain response (no stream to drive:
    one hop in the server); more are streamed, piece by piece, with the same bytes."""
    one_piece = blobs.READ_CHUNKS * blobs.CHUNK_SIZE
    data = bytes(range(256)) * (one_piece // 128 + 3)  # two pieces and a bit
    files.put("one.bin", data[:one_piece])
    files.put("two.bin", data)
    whole = files.get("one.bin")
    assert whole.streaming is False and whole.content == data[:one_piece]
    streamed = files.get("two.bin")
    assert streamed.streaming is True and body_of(streamed) == data
    assert streamed["Content-Length"] == str(len(data))
    tail = files.get("two.bin", HTTP_RANGE="bytes=-768")  # one piece again
    assert tail.status_code == 206 and tail.streaming is False
    assert tail.content == data[-768:]
    across = files.get("two.bin", HTTP_RANGE=f"bytes=10-{one_piece + 9}")
    assert across.streaming is True and body_of(across) == data[10 : one_piece + 10]


def test_a_small_file_is_read_from_the_store_once_then_from_the_blob_cache(files, store):
    """The cache is consulted only after the entry was found in the request's own
    snapshot, by the blob id that entry names: a rewrite, a move or a delete shows
    at once, whatever the cache still holds."""
    cache = store.blob_cache
    files.put("c.txt", b"first")
    hits, misses = cache.hits, cache.misses
    assert body_of(files.get("c.txt")) == b"first"
    assert body_of(files.get("c.txt")) == b"first"
    assert (cache.hits - hits, cache.misses - misses) == (1, 1)
    files.put("c.txt", b"second")  # a new blob: read once, then cached in its turn
    assert body_of(files.get("c.txt")) == b"second"
    assert files.op("move", {"from": "c.txt", "to": "d.txt"}).status_code == 200
    assert files.get("c.txt").status_code == 404
    assert body_of(files.get("d.txt")) == b"second"
    assert files.delete("d.txt").status_code == 204
    assert files.get("d.txt").status_code == 404
    big = b"z" * (blobs.READ_CHUNKS * blobs.CHUNK_SIZE + 1)  # streamed, never cached
    files.put("big.bin", big)
    held = len(cache)
    assert body_of(files.get("big.bin")) == big and len(cache) == held


def test_delete_file_and_directories(files):
    files.put("d/x.txt", b"x")
    files.put("d/e/y.txt", b"y")
    refused = files.delete("d")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "directory_not_empty"
    assert files.delete("d/x.txt", HTTP_IF_MATCH='"no"').status_code == 412
    assert files.delete("d/x.txt").status_code == 204
    assert files.get("d/x.txt").status_code == 404
    assert files.delete("d", "?recursive=true").status_code == 204
    assert files.get("d/e/y.txt").status_code == 404
    assert files.usage()["files"] == 0 and files.usage()["bytes"] == 0
    assert files.delete("d").status_code == 404


def test_list_pages_and_recursion(files):
    for path in ["b.txt", "a/1.py", "a/2.txt", "a/sub/3.py", "c.py"]:
        files.put(path, b"z")
    top = data_of(files.list())
    assert [(e["path"], e["type"]) for e in top] == [
        ("a", "directory"),
        ("b.txt", "file"),
        ("c.py", "file"),
    ]
    everything = data_of(files.list(recursive="true"))
    assert [e["path"] for e in everything] == [
        "a",
        "a/1.py",
        "a/2.txt",
        "a/sub",
        "a/sub/3.py",
        "b.txt",
        "c.py",
    ]
    paged, cursor = [], None
    while True:
        params = {"recursive": "true", "limit": 2, **({"cursor": cursor} if cursor else {})}
        response = files.list(**params).json()
        paged += [e["path"] for e in response["data"]]
        cursor = response["meta"]["nextCursor"]
        if cursor is None:
            break
    assert paged == [e["path"] for e in everything]
    py = data_of(files.list(recursive="true", glob="**/*.py"))
    assert [e["path"] for e in py] == ["a/1.py", "a/sub/3.py", "c.py"]
    inside = data_of(files.list(path="a", glob="*.py"))
    assert [e["path"] for e in inside] == ["a/1.py"]
    assert files.list(path="nope").status_code == 404
    assert files.list(cursor="garbage!").status_code == 400


def test_move_a_directory_and_a_file(files):
    files.put("src/a/1.txt", b"1")
    files.put("src/a/2.txt", b"2")
    moved = files.op("move", {"from": "src/a", "to": "dst/deep/b"})
    assert moved.status_code == 200, moved.content
    assert data_of(moved)["type"] == "directory"
    assert body_of(files.get("dst/deep/b/2.txt")) == b"2"
    assert files.get("src/a/1.txt").status_code == 404
    files.put("x.txt", b"x")
    assert files.op("move", {"from": "x.txt", "to": "dst/deep/b/1.txt"}).status_code == 409
    over = files.op("move", {"from": "x.txt", "to": "dst/deep/b/1.txt", "overwrite": True})
    assert over.status_code == 200
    assert body_of(files.get("dst/deep/b/1.txt")) == b"x"
    assert files.usage()["files"] == 2
    into = files.op("move", {"from": "dst", "to": "dst/deep/inner"})
    assert into.status_code == 400
    assert files.op("move", {"from": "nope", "to": "x"}).status_code == 404


def test_copy_files_only(files):
    files.put("a.txt", b"hello", content_type="text/plain")
    copied = files.op("copy", {"from": "a.txt", "to": "b/c.txt"})
    assert copied.status_code == 201
    assert data_of(copied)["contentType"] == "text/plain"
    assert body_of(files.get("b/c.txt")) == b"hello"
    assert files.op("copy", {"from": "a.txt", "to": "b/c.txt"}).status_code == 409
    assert (
        files.op("copy", {"from": "a.txt", "to": "b/c.txt", "overwrite": True}).status_code == 200
    )
    dir_copy = files.op("copy", {"from": "b", "to": "e"})
    assert dir_copy.status_code == 409 and dir_copy.json()["error"]["code"] == "is_a_directory"
    assert files.usage() == {"bytes": 10, "files": 2, "quotaBytes": 1024**3, "quotaFiles": 100_000}


def test_a_file_in_the_way_of_a_directory(files):
    files.put("f", b"1")
    conflict = files.put("f/g", b"2")
    assert conflict.status_code == 409 and conflict.json()["error"]["code"] == "not_a_directory"
    files.put("d/x", b"1")
    assert files.put("d", b"2").json()["error"]["code"] == "is_a_directory"
    assert files.get("d").status_code == 409


def test_quota(files, settings):
    settings.FILES_QUOTA_BYTES = 10
    settings.FILES_QUOTA_FILES = 2
    assert files.put("a", b"12345").status_code == 201
    over = files.put("b", b"123456")
    assert over.status_code == 413 and over.json()["error"]["code"] == "quota_exceeded"
    assert files.put("a", b"1234567890").status_code == 200  # a replace frees the old size
    assert files.put("a", b"1").status_code == 200
    assert files.put("b", b"1").status_code == 201
    assert files.put("c", b"").json()["error"]["code"] == "quota_exceeded"
    settings.FILES_MAX_BYTES = 3
    assert files.put("a", b"1234").json()["error"]["code"] == "file_too_large"


def test_another_tenants_session_is_404(api, people):
    files = Files(api, people.alice.auth, new_session(api, people.alice.auth))
    other = people.charlie.auth
    files.put("a.txt", b"secret")
    for response in (
        api.get(f"{files.base}/a.txt", **other),
        api.generic("PUT", f"{files.base}/a.txt", b"x", content_type="text/plain", **other),
        api.get(files.base, **other),
        api.delete(f"{files.base}/a.txt", **other),
        api.get(f"/api/v5/sessions/{uuid.uuid4()}/files/a.txt", **other),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "session_not_found"


def test_deleting_the_session_deletes_its_files(api, auth, files):
    files.put("a/b/c.txt", b"123")
    files.put("d.txt", b"45")
    assert files.usage()["files"] == 2
    assert api.delete(f"/api/v5/sessions/{files.sid}", **auth).status_code == 204
    assert files.usage()["files"] == 0 and files.usage()["bytes"] == 0
