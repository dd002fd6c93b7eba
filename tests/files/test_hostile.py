"""Hostile input to the files API: traversal, odd paths, a Range zoo, wrong
preconditions, short bodies. Every answer is a clear envelope, never a 500."""

from __future__ import annotations

import io

import pytest

from tests.files.support import body_of


@pytest.mark.parametrize(
    ("raw", "rule"),
    [
        ("../etc/passwd", "dot_segment"),
        ("a/../../b", "dot_segment"),
        ("%2e%2e/secret", "dot_segment"),
        ("a/%2E%2E/b", "dot_segment"),
        ("./a", "dot_segment"),
        ("a\\b", "backslash"),
        ("a%5c..%5cb", "backslash"),
        ("%2Fetc/passwd", "absolute"),
        ("/etc/passwd", "absolute"),
        ("a//b", "empty_segment"),
        ("a/", "empty_segment"),
        ("a%00b", "nul"),
        ("a%01b", "control_character"),
        ("a%7fb", "control_character"),
        ("x" * 1025, "too_long"),
        ("/".join(["d"] * 65), "too_deep"),
    ],
)
def test_bad_paths_are_400_naming_the_rule(files, raw, rule):
    for response in (files.put(raw, b"x"), files.get(raw), files.delete(raw)):
        assert response.status_code == 400, (raw, response.status_code)
        error = response.json()["error"]
        assert error["code"] == "invalid_path" and error["details"]["rule"] == rule


def test_bad_paths_in_bodies_and_queries(files):
    for body in (
        {"from": "../a", "to": "b"},
        {"from": "a", "to": "b/../../c"},
        {"from": "a", "to": ""},
    ):
        response = files.op("move", body)
        assert response.status_code == 400, body
    assert files.op("move", {"from": "a", "to": 5}).status_code == 400
    assert files.op("move", {"from": "a", "to": "b", "extra": 1}).status_code == 400
    assert files.op("copy", ["a", "b"]).status_code == 400
    assert files.list(path="../x").json()["error"]["details"]["rule"] == "dot_segment"
    assert files.list(recursive="maybe").status_code == 400
    assert files.list(limit="0").status_code == 400
    assert files.list(cursor="Li4v").status_code == 400  # base64 of "../"


def test_names_are_nfc_normalised_and_case_sensitive(files):
    assert files.put("cafe\u0301.txt", b"1").status_code == 201  # decomposed é
    assert body_of(files.get("caf\u00e9.txt")) == b"1"  # composed é: the same name
    assert files.put("Readme", b"2").status_code == 201
    assert files.get("README").status_code == 404


def test_a_longest_legal_path_works(files):
    path = "/".join(["d" * 14] * 64)[:1024].rstrip("/")
    assert files.put(path, b"deep").status_code == 201
    assert body_of(files.get(path)) == b"deep"


@pytest.mark.parametrize(
    ("header", "status", "body"),
    [
        ("bytes=0-0", 206, b"0"),
        ("bytes=9-", 206, b"9"),
        ("bytes=-1", 206, b"9"),
        ("bytes=-100", 206, b"0123456789"),
        ("bytes=5-1000000000000000000000", 206, b"56789"),
        ("bytes=10-", 416, None),
        ("bytes=-0", 416, None),
        ("bytes=5-4", 200, b"0123456789"),
        ("bytes=0-1,3-4", 200, b"0123456789"),
        ("bytes=", 200, b"0123456789"),
        ("bytes=a-b", 200, b"0123456789"),
        ("items=0-1", 200, b"0123456789"),
        ("bytes=-", 200, b"0123456789"),
        ("bytes=" + "9" * 300, 200, b"0123456789"),
        ("garbage", 200, b"0123456789"),
    ],
)
def test_the_range_zoo(files, header, status, body):
    files.put("ten", b"0123456789")
    response = files.get("ten", HTTP_RANGE=header)
    assert response.status_code == status, header
    if body is not None:
        assert body_of(response) == body
    else:
        assert response.json()["error"]["code"] == "range_not_satisfiable"
        assert response["Content-Range"] == "bytes */10"


@pytest.mark.parametrize("tag", ['"nope"', 'W/"x"', "garbage", '"', ",,,", '"a", "b"'])
def test_wrong_if_match_is_412_and_changes_nothing(files, tag):
    files.put("f", b"keep")
    assert files.put("f", b"lost", HTTP_IF_MATCH=tag).status_code == 412
    assert files.delete("f", HTTP_IF_MATCH=tag).status_code == 412
    assert body_of(files.get("f")) == b"keep"


def test_a_weak_tag_never_satisfies_if_match(files):
    etag = files.put("f", b"1")["ETag"]
    assert files.put("f", b"2", HTTP_IF_MATCH=f"W/{etag}").status_code == 412
    assert files.put("f", b"2", HTTP_IF_MATCH=f'"x", {etag}').status_code == 200


def test_a_body_cut_short_stores_nothing(api, files):
    short = io.BytesIO(b"only ten b")
    response = api.generic(
        "PUT",
        f"{files.base}/cut.bin",
        b"",
        content_type="application/octet-stream",
        **files.auth,
        CONTENT_LENGTH="1000",
        **{"wsgi.input": short},
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "incomplete_body"
    assert files.get("cut.bin").status_code == 404
    assert files.usage()["bytes"] == 0


@pytest.mark.parametrize("length", ["-1", "abc", "1e3", "9" * 30])
def test_a_bad_content_length_is_400(api, files, length):
    response = api.generic(
        "PUT",
        f"{files.base}/x",
        b"",
        content_type="text/plain",
        **files.auth,
        CONTENT_LENGTH=length,
    )
    assert response.status_code == 400


def test_chunked_uploads_without_a_length_are_411(api, files):
    response = api.generic(
        "PUT",
        f"{files.base}/x",
        b"",
        content_type="text/plain",
        **files.auth,
        HTTP_TRANSFER_ENCODING="chunked",
    )
    assert response.status_code == 411


def test_a_hostile_content_type_is_refused(files):
    assert files.put("x", b"1", content_type="text/plain\x01").status_code == 400
    assert files.put("x", b"1", content_type="a" * 300).status_code == 400


def test_stored_pages_cannot_run_as_the_api_origin(files):
    files.put("evil.html", b"<script>alert(1)</script>", content_type="text/html")
    response = files.get("evil.html")
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_unauthenticated_is_401(api, files):
    assert api.get(f"{files.base}/x").status_code == 401
    assert api.get("/api/v5/usage").status_code == 401
