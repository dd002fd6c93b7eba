"""PUT/DELETE /api/v5/auth/me/avatar and GET/HEAD /api/v5/users/{userId}/avatar."""

from __future__ import annotations

import hashlib
import io
import uuid

import pytest
from django.test.client import encode_multipart
from PIL import Image

from accounts.repositories import avatars
from fdbstore.blobs import CHUNK_SIZE
from fdbstore.connection import get_database
from fdbstore.keys import keyspace
from tests.support import images
from tests.support.api import bearer, register, token_of

ME = "/api/v5/auth/me/avatar"


def put_raw(api, token, data: bytes, content_type: str = "image/png"):
    return api.generic("PUT", ME, data, content_type=content_type, **bearer(token))


def put_form(api, token, files: dict, fields: dict | None = None):
    boundary = "BoUnDaRy"
    body = encode_multipart(boundary, {**(fields or {}), **files})
    content_type = f"multipart/form-data; boundary={boundary}"
    return api.generic("PUT", ME, body, content_type=content_type, **bearer(token))


def upload(name: str, data: bytes, content_type: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def fetch(api, url: str, **headers):
    return api.get(url, **headers)


def keys_of(space) -> list[bytes]:
    span = space.range()
    return [
        row.key for row in get_database().transact(lambda tr: tr.get_range(span.start, span.stop))
    ]


def decoded(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


@pytest.fixture
def alice(api):
    response = register(api)
    return token_of(response), response.json()["data"]["user"]["id"]


def test_a_new_user_has_no_avatar(api, alice):
    token, user_id = alice
    assert api.get("/api/v5/auth/me", **bearer(token)).json()["data"]["avatarUrl"] is None
    response = api.get(f"/api/v5/users/{user_id}/avatar")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "avatar_not_found"


@pytest.mark.parametrize(
    ("make", "content_type"),
    [
        (images.png, "image/png"),
        (images.jpeg, "image/jpeg"),
        (images.webp, "image/webp"),
        (images.gif, "image/gif"),
    ],
)
def test_each_accepted_type_is_stored_as_a_webp_of_at_most_512(api, alice, make, content_type):
    token, user_id = alice
    response = put_raw(api, token, make((1024, 768)), content_type)

    assert response.status_code == 200, response.content
    url = response.json()["data"]["avatarUrl"]
    assert url.startswith(f"/api/v5/users/{user_id}/avatar?v=")
    image = fetch(api, url)
    assert image.status_code == 200
    assert image["Content-Type"] == "image/webp"
    assert decoded(image.content).size == (512, 384)  # aspect kept
    assert int(image["Content-Length"]) == len(image.content)


def test_a_small_image_is_not_enlarged(api, alice):
    token, _ = alice
    url = put_raw(api, token, images.png((40, 30))).json()["data"]["avatarUrl"]
    assert decoded(fetch(api, url).content).size == (40, 30)


def test_a_browser_form_upload_works(api, alice):
    token, _ = alice
    response = put_form(api, token, {"avatar": upload("me.jpg", images.jpeg(), "image/jpeg")})
    assert response.status_code == 200, response.content
    assert fetch(api, response.json()["data"]["avatarUrl"]).status_code == 200


def test_gps_and_every_other_exif_field_are_dropped(api, alice):
    token, _ = alice
    original = images.jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test image has GPS
    url = put_raw(api, token, original, "image/jpeg").json()["data"]["avatarUrl"]

    stored = fetch(api, url).content
    image = decoded(stored)
    assert not image.getexif()
    assert "exif" not in image.info and "xmp" not in image.info and "icc_profile" not in image.info
    assert b"SpyCam" not in stored and b"secret comment" not in stored and b"Exif" not in stored


def test_an_animated_gif_becomes_its_first_frame(api, alice):
    token, _ = alice
    url = put_raw(api, token, images.animated_gif(), "image/gif").json()["data"]["avatarUrl"]
    image = decoded(fetch(api, url).content)
    assert getattr(image, "n_frames", 1) == 1
    assert image.convert("RGB").getpixel((0, 0))[0] < 16  # frame 0 is blue, frame 1 magenta


def test_the_url_changes_with_the_image_and_the_old_chunks_are_gone(api, alice):
    token, _ = alice
    first = put_raw(api, token, images.png()).json()["data"]["avatarUrl"]
    chunks_before = keys_of(keyspace().blob_chunks)
    second = put_raw(api, token, images.jpeg(), "image/jpeg").json()["data"]["avatarUrl"]

    assert first != second
    chunks_after = keys_of(keyspace().blob_chunks)
    assert chunks_after and not set(chunks_before) & set(chunks_after)
    assert keys_of(keyspace().blob_pending) == []  # published, and the old one retired and gone


def test_an_image_comes_from_the_blob_cache_after_its_first_read_and_never_stale(api, alice):
    token, user_id = alice
    cache = get_database().blob_cache
    put_raw(api, token, images.png())
    bare = f"/api/v5/users/{user_id}/avatar"
    first = fetch(api, bare)
    hits = cache.hits
    assert fetch(api, bare).content == first.content and cache.hits == hits + 1
    put_raw(api, token, images.jpeg(), "image/jpeg")  # a new blob
    replaced = fetch(api, bare)
    assert replaced.status_code == 200 and replaced.content != first.content
    assert api.delete(ME, **bearer(token)).status_code == 204
    assert fetch(api, bare).status_code == 404


def test_etag_304_cache_control_and_head(api, alice):
    token, user_id = alice
    url = put_raw(api, token, images.png()).json()["data"]["avatarUrl"]
    full = fetch(api, url)
    digest = hashlib.sha256(full.content).hexdigest()

    assert full["ETag"] == f'"{digest}"'
    assert full["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Last-Modified" in full
    bare = fetch(api, f"/api/v5/users/{user_id}/avatar")
    assert bare["Cache-Control"] == "public, no-cache"
    stale = fetch(api, f"/api/v5/users/{user_id}/avatar?v=0123")
    assert stale["Cache-Control"] == "public, no-cache"
    for header in (f'"{digest}"', f'W/"{digest}"', f'"other", "{digest}"', "*"):
        again = fetch(api, url, HTTP_IF_NONE_MATCH=header)
        assert again.status_code == 304, header
        assert again.content == b"" and again["ETag"] == full["ETag"]
    assert fetch(api, url, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    head = api.head(url)
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Length"] == str(len(full.content))


def test_the_image_is_public_and_embeddable_from_another_origin(api, alice):
    token, _ = alice
    url = put_raw(api, token, images.png()).json()["data"]["avatarUrl"]
    response = fetch(api, url, HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 200  # no authentication at all on this route
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_delete_removes_every_key_and_is_idempotent(api, alice):
    token, user_id = alice
    put_raw(api, token, images.png((2000, 2000)))
    response = api.delete(ME, **bearer(token))

    assert response.status_code == 204
    assert keys_of(keyspace().blob_chunks) == []
    assert keys_of(keyspace().blob_pending) == []
    assert keys_of(keyspace().avatars) == []
    assert api.get("/api/v5/auth/me", **bearer(token)).json()["data"]["avatarUrl"] is None
    assert api.get(f"/api/v5/users/{user_id}/avatar").status_code == 404
    assert api.delete(ME, **bearer(token)).status_code == 204


def test_the_avatar_record_holds_type_size_digest_and_time(api, alice):
    token, user_id = alice
    url = put_raw(api, token, images.png()).json()["data"]["avatarUrl"]
    body = fetch(api, url).content
    record = get_database().transact(lambda tr: avatars.get(tr, uuid.UUID(user_id)))
    assert record.media_type == "image/webp"
    assert record.size == len(body)
    assert record.digest == hashlib.sha256(body).hexdigest()
    assert url.endswith(record.blob_id.hex)
    assert record.size < CHUNK_SIZE * 16


def test_a_5_mib_photo_is_accepted_and_stored_small(api, alice):
    token, _ = alice
    photo = images.photo()
    assert 4 * 2**20 < len(photo) <= 5 * 2**20
    response = put_raw(api, token, photo, "image/jpeg")
    assert response.status_code == 200
    stored = fetch(api, response.json()["data"]["avatarUrl"]).content
    assert len(stored) < 200_000


def test_the_endpoints_need_a_token(api):
    assert put_raw(api, "x.y.z", images.png()).status_code == 401
    assert api.generic("PUT", ME, images.png(), content_type="image/png").status_code == 401
    assert api.delete(ME).status_code == 401
