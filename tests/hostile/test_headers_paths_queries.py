"""Hostile requests outside the body: Authorization headers, ids, query strings, methods.

A malformed ``Authorization`` header is a 401 envelope with ``WWW-Authenticate``
on every protected operation; an id that is not a UUID is the same 404 as an
unknown one; a bad ``limit`` or ``cursor`` is a 400; an unsupported method is
a 405. None of them writes anything.
"""

from __future__ import annotations

import time

import pytest

from tests.support.envelope import assert_error_envelope
from tests.support.hostile import BAD_IDS, BAD_QUERIES, OPERATIONS, PROTECTED, authorization_cases

OP_IDS = [f"{method} {path}" for method, path, _ in PROTECTED]


@pytest.mark.parametrize(("method", "path", "auth"), PROTECTED, ids=OP_IDS)
def test_malformed_authorization_headers_are_401_on_every_protected_operation(
    world, method, path, auth
):
    for label, header in authorization_cases(world.token):
        extra = {} if header is None else {"HTTP_AUTHORIZATION": header}
        response = world.api.generic(method, world.path(path), **extra)
        error = assert_error_envelope(response, 401)
        assert error["code"] in ("not_authenticated", "token_invalid"), label
        assert response["WWW-Authenticate"].startswith("Bearer"), label
        world.assert_unchanged(label)


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_ids_that_are_not_uuids_are_the_unknown_session_404(world, method):
    for label, bad in BAD_IDS:
        response = world.api.generic(method, f"/api/v5/sessions/{bad}", **world.auth)
        error = assert_error_envelope(response, 404)
        assert error["code"] in ("session_not_found", "not_found"), label
        world.assert_unchanged(label)


def test_hostile_query_strings_are_400(world):
    for label, query in BAD_QUERIES:
        response = world.api.get(f"/api/v5/sessions?{query}", **world.auth)
        error = assert_error_envelope(response, 400)
        assert "limit" in error["details"] or "cursor" in error["details"], label


def test_unknown_query_parameters_are_ignored(world):
    response = world.api.get("/api/v5/sessions?debug=1&admin=true&limit=5", **world.auth)
    assert response.status_code == 200
    assert response.json()["meta"]["limit"] == 5


@pytest.mark.parametrize(("method", "path", "auth"), OPERATIONS, ids=lambda v: str(v))
def test_unsupported_methods_are_405_envelopes(world, method, path, auth):
    allowed = {m for m, p, _ in OPERATIONS if p == path}
    allowed |= {"HEAD"} if "GET" in allowed else set()
    for other in ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND"):
        if other in allowed:
            continue
        response = world.api.generic(other, world.path(path), **world.auth)
        assert_error_envelope(response, 405)
        world.assert_unchanged(f"{other} {path}")


@pytest.mark.parametrize(
    "tail", ["x" * 10_000, "eyJ" * 3_000, "token" * 2_000, "password=" * 1_000], ids=str.__len__
)
def test_a_10000_character_path_is_answered_at_once(world, tail):
    # Every request's log line goes through the redactor: a backtracking pattern
    # there once made a 10 kB path cost 20 s of CPU (4 s at gunicorn's 4 kB line limit).
    started = time.perf_counter()
    response = world.api.get(f"/api/v5/sessions/{tail}", **world.auth)
    assert time.perf_counter() - started < 1.0
    assert_error_envelope(response, 404)
