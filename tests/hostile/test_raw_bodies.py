"""Bodies that are not the JSON they claim to be: encodings, nesting, size, content type.

Invalid UTF-8 and malformed JSON are 400 (``malformed_json``); JSON nested past
Python's recursion limit too, never a 500; a body over the limit is 413 before
any parsing; anything but ``application/json`` is 415. Nothing is written.
"""

from __future__ import annotations

import pytest
from rest_framework.utils import json as drf_json

from tests.support.envelope import assert_error_envelope
from tests.support.hostile import (
    BODY_ENDPOINTS,
    CONTENT_TYPES,
    encoded,
    invalid_utf8_cases,
    malformed_json_cases,
    oversize_cases,
)

IDS = [ep.name for ep in BODY_ENDPOINTS]


def post_raw(world, ep, raw: bytes, content_type: str = "application/json"):
    headers = world.auth if ep.auth else {}
    return world.api.generic("POST", ep.path, raw, content_type=content_type, **headers)


@pytest.mark.parametrize("ep", BODY_ENDPOINTS, ids=IDS)
def test_invalid_utf8_and_other_encodings_are_400(world, ep):
    for label, raw in invalid_utf8_cases(ep):
        error = assert_error_envelope(post_raw(world, ep, raw), 400)
        assert error["code"] in ("malformed_json", "validation_error"), label
        world.assert_unchanged(label)


@pytest.mark.parametrize("ep", BODY_ENDPOINTS, ids=IDS)
def test_malformed_and_deeply_nested_json_is_400_never_500(world, ep):
    for label, raw in malformed_json_cases(ep):
        response = post_raw(world, ep, raw)
        error = assert_error_envelope(response, 400)
        assert error["code"] in ("malformed_json", "validation_error"), label
        world.assert_unchanged(label)


@pytest.mark.parametrize("ep", BODY_ENDPOINTS, ids=IDS)
def test_bodies_over_the_limit_are_413_before_any_parsing(world, ep, monkeypatch):
    parsed = []
    real_loads = drf_json.loads
    monkeypatch.setattr(drf_json, "loads", lambda *a, **k: parsed.append(1) or real_loads(*a, **k))
    for label, raw in oversize_cases(ep):
        error = assert_error_envelope(post_raw(world, ep, raw), 413)
        assert error["code"] == "payload_too_large", label
        world.assert_unchanged(label)
    assert parsed == []
    post_raw(world, ep, encoded(ep.valid))
    assert parsed == [1]  # the probe does see a body that gets parsed


@pytest.mark.parametrize("ep", BODY_ENDPOINTS, ids=IDS)
def test_a_body_exactly_at_the_limit_is_parsed(world, ep, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = len(encoded(ep.valid))
    assert post_raw(world, ep, encoded(ep.valid)).status_code in (200, 201)


@pytest.mark.parametrize("ep", BODY_ENDPOINTS, ids=IDS)
def test_every_other_content_type_is_415(world, ep):
    for content_type in CONTENT_TYPES:
        response = post_raw(world, ep, encoded(ep.valid), content_type)
        error = assert_error_envelope(response, 415)
        assert error["code"] == "unsupported_media_type", content_type
        world.assert_unchanged(content_type)


@pytest.mark.parametrize("ep", BODY_ENDPOINTS, ids=IDS)
def test_json_with_a_charset_parameter_is_still_json(world, ep):
    response = post_raw(world, ep, encoded(ep.valid), "application/json; charset=utf-8")
    assert response.status_code in (200, 201)


BODILESS = [
    ("GET", "/api/v5/auth/me", 200),
    ("GET", "/api/v5/sessions", 200),
    ("GET", "/api/v5/sessions/{sid}", 200),
    ("GET", "/api/v5/health", 200),
]
JUNK = [
    ("invalid UTF-8", b"\xff\xfe\x00", "application/json"),
    ("1 MiB over the limit", b"x" * (2**20), "application/json"),
    ("nested 100,000 deep", b"[" * 100_000 + b"]" * 100_000, "application/json"),
    (
        "XML",
        b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>",
        "application/xml",
    ),
]


@pytest.mark.parametrize(("method", "path", "status"), BODILESS, ids=[p for _, p, _ in BODILESS])
def test_operations_without_a_body_never_read_one(world, method, path, status):
    for label, raw, content_type in JUNK:
        response = world.api.generic(
            method, world.path(path), raw, content_type=content_type, **world.auth
        )
        assert response.status_code == status, label
        world.assert_unchanged(label)


def test_logout_ignores_a_junk_body_and_revokes_only_the_token(world):
    raw = b"\xff" * (2**20)
    response = world.api.generic(
        "POST", "/api/v5/auth/logout", raw, content_type="application/xml", **world.auth
    )
    assert response.status_code == 200
    assert world.api.get("/api/v5/auth/me", **world.auth).status_code == 401
