"""Hostile avatar uploads: every refusal is a clear envelope and changes nothing stored.

Wrong or missing content types, empty bodies, bodies that are not images,
polyglots, a declared type that disagrees with the content, oversized bodies,
decompression bombs, truncated files, malformed forms, and ids that are not
UUIDs in the image's URL.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import encode_multipart

from accounts import uploads
from tests.support import images
from tests.support.envelope import assert_error_envelope
from tests.support.snapshot import store_snapshot

ME = "/api/v5/auth/me/avatar"
BOUNDARY = "XyZzY"


def put(world, body: bytes, content_type: str | None):
    extra = {} if content_type is None else {"content_type": content_type}
    return world.api.generic("PUT", ME, body, **extra, **world.auth)


def put_form(world, data: dict):
    body = encode_multipart(BOUNDARY, data)
    return put(world, body, f"multipart/form-data; boundary={BOUNDARY}")


def file(data: bytes, content_type: str = "image/png", name: str = "a.png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


CONTENT_TYPES = [
    "text/plain",
    "application/json",
    "application/octet-stream",
    "image/svg+xml",
    "image/bmp",
    "image/tiff",
    "application/x-www-form-urlencoded",
    "text/html; charset=utf-8",
]


@pytest.mark.parametrize("content_type", CONTENT_TYPES)
def test_other_content_types_are_415(world, content_type):
    error = assert_error_envelope(put(world, images.png(), content_type), 415)
    assert error["code"] == "unsupported_media_type"
    world.assert_unchanged(content_type)


def test_a_body_without_a_content_type_is_415(world):
    response = world.api.generic("PUT", ME, images.png(), content_type="", **world.auth)
    assert_error_envelope(response, 415)
    world.assert_unchanged()


NOT_IMAGES = {
    "empty body": (b"", "image/png"),
    "text": (b"hello, I am not a picture", "image/png"),
    "HTML": (b"<html><script>alert(1)</script></html>", "image/gif"),
    "SVG as PNG": (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/png"),
    "PNG signature only": (b"\x89PNG\r\n\x1a\n", "image/png"),
    "JPEG header then a script": (b"\xff\xd8\xff\xe0" + images.SCRIPT, "image/jpeg"),
    "GIF header then a script": (b"GIF89a" + images.SCRIPT, "image/gif"),
    "polyglot PNG + script": (images.polyglot(images.png()), "image/png"),
    "polyglot JPEG + script": (images.polyglot(images.jpeg()), "image/jpeg"),
    "polyglot GIF + script": (images.polyglot(images.gif()), "image/gif"),
    "polyglot WebP + script": (images.polyglot(images.webp()), "image/webp"),
    "PNG declared JPEG": (images.png(), "image/jpeg"),
    "JPEG declared WebP": (images.jpeg(), "image/webp"),
    "GIF declared PNG": (images.gif(), "image/png"),
    "BMP declared PNG": (images.image_bytes("BMP"), "image/png"),
    "TIFF declared JPEG": (images.image_bytes("TIFF"), "image/jpeg"),
    "PNG bomb 15000x15000": (images.png_bomb(), "image/png"),
    "PNG bomb 60 MP": (images.real_bomb(), "image/png"),
    "truncated PNG": (images.truncated(images.png()), "image/png"),
    "truncated JPEG": (images.truncated(images.jpeg()), "image/jpeg"),
    "truncated GIF": (images.truncated(images.gif()), "image/gif"),
    "truncated WebP": (images.truncated(images.webp()), "image/webp"),
}


@pytest.mark.parametrize("case", list(NOT_IMAGES), ids=list(NOT_IMAGES))
def test_what_is_not_an_accepted_image_is_a_400_saying_why(world, case):
    body, content_type = NOT_IMAGES[case]
    error = assert_error_envelope(put(world, body, content_type), 400)
    assert error["code"] == "invalid_image", case
    world.assert_unchanged(case)


def test_the_reasons_are_specific(world):
    def message(body, content_type):
        return assert_error_envelope(put(world, body, content_type), 400)["message"]

    assert "too large" in message(images.real_bomb(), "image/png")
    assert "truncated" in message(images.truncated(images.png()), "image/png")
    assert "after its end" in message(images.polyglot(), "image/png")
    assert "declared image/jpeg" in message(images.png(), "image/jpeg")
    assert "empty" in message(b"", "image/png")


def test_an_upload_over_5_mib_is_413_before_it_is_parsed(world, monkeypatch):
    parsed = []
    monkeypatch.setattr(uploads.RawImageParser, "parse", lambda *a, **k: parsed.append(1))
    body = images.png() + b"\x00" * (uploads.MAX_UPLOAD_BYTES)
    error = assert_error_envelope(put(world, body, "image/png"), 413)
    assert error["code"] == "payload_too_large"
    assert parsed == []
    form = encode_multipart(BOUNDARY, {"avatar": file(b"\x00" * uploads.MAX_UPLOAD_BYTES)})
    assert_error_envelope(put(world, form, f"multipart/form-data; boundary={BOUNDARY}"), 413)
    world.assert_unchanged()


FORMS = {
    "no avatar field": {"picture": file(images.png())},
    "no file at all": {"avatar": "not a file"},
    "two avatar files": {"avatar": [file(images.png()), file(images.png())]},
    "avatar and another file": {"avatar": file(images.png()), "other": file(images.png())},
    "an extra text field": {"avatar": file(images.png()), "userId": "someone-else"},
    "the file sent as text/plain": {"avatar": file(images.png(), "text/plain")},
    "the file sent as octet-stream": {"avatar": file(images.png(), "application/octet-stream")},
    "an empty file": {"avatar": file(b"")},
    "a PNG sent as image/jpeg": {"avatar": file(images.png(), "image/jpeg")},
    "a polyglot file": {"avatar": file(images.polyglot())},
}


@pytest.mark.parametrize("case", list(FORMS), ids=list(FORMS))
def test_malformed_forms_are_400(world, case):
    assert_error_envelope(put_form(world, FORMS[case]), 400)
    world.assert_unchanged(case)


def test_a_broken_multipart_body_is_400(world):
    for body in (b"--XyZzY\r\nContent-Disposition: form-data\r\n\r\n", b"garbage", b"--XyZzY--"):
        response = put(world, body, f"multipart/form-data; boundary={BOUNDARY}")
        assert_error_envelope(response, 400)
    assert_error_envelope(put(world, b"x", "multipart/form-data"), 400)  # no boundary
    world.assert_unchanged()


@pytest.mark.parametrize(
    "user_id",
    ["not-a-uuid", "1", "%00", "00000000-0000-0000-0000-00000000000g", "x" * 5000, "..%2f..%2f"],
)
def test_an_id_that_is_not_a_uuid_is_a_404_envelope(world, user_id):
    error = assert_error_envelope(world.api.get(f"/api/v5/users/{user_id}/avatar"), 404)
    assert error["code"] in ("avatar_not_found", "not_found")


def test_a_refused_upload_keeps_the_avatar_there_was(world):
    assert put(world, images.png(), "image/png").status_code == 200
    before = store_snapshot(world.db)
    for body, content_type in NOT_IMAGES.values():
        put(world, body, content_type)
    assert store_snapshot(world.db) == before


@pytest.mark.parametrize("token", ["", "x.y.z", "Bearer", "a" * 5000])
def test_without_a_valid_token_nothing_is_read_or_written(world, token):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    for method, body in (("PUT", images.png()), ("DELETE", b"")):
        response = world.api.generic(method, ME, body, content_type="image/png", **headers)
        assert_error_envelope(response, 401)
    world.assert_unchanged(token[:20])


def test_a_store_outage_is_a_bare_503_on_every_avatar_route(world, monkeypatch):
    from fdbstore.errors import FDBError

    assert put(world, images.png(), "image/png").status_code == 200
    url = world.api.get("/api/v5/auth/me", **world.auth).json()["data"]["avatarUrl"]

    def outage(*args, **kwargs):
        raise FDBError(1031, "timed out; cluster file /etc/foundationdb/fdb.cluster")

    monkeypatch.setattr("accounts.avatar_views.avatar_get", outage)
    monkeypatch.setattr("accounts.avatar_views.avatar_set", outage)
    monkeypatch.setattr("accounts.avatar_views.avatar_remove", outage)
    for response in (
        world.api.get(url),
        put(world, images.png(), "image/png"),
        world.api.delete(ME, **world.auth),
    ):
        error = assert_error_envelope(response, 503)
        assert error["code"] == "store_unavailable"
        assert response["Retry-After"] == "1"
        assert b"fdb.cluster" not in response.content
