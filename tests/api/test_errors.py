"""Every failure is the error envelope with the right status; no input is a 500."""

from __future__ import annotations

import logging

import pytest

from config.api.errors import InternalError
from fdbstore import errors as store_errors
from tests.support.api import bearer, error_of, register, token_of


@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/api"),
        ("get", "/api/"),
        ("get", "/api/v4/sessions"),
        ("post", "/api/v5/nope"),
        ("delete", "/api/v5/auth"),
        ("get", "/api/v5/sessions/a/b"),
    ],
)
def test_unknown_routes_under_api_are_a_404_envelope(api, method, path):
    response = getattr(api, method)(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert error_of(response) == {
        "code": "not_found",
        "message": "The requested resource was not found.",
    }


def test_routes_outside_api_are_a_json_404_too(api):
    response = api.get("/nothing-here")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize(
    "method,path,allowed",
    [
        ("get", "/api/v5/auth/login", "POST"),
        ("put", "/api/v5/auth/register", "POST"),
        ("post", "/api/v5/auth/me", "GET, PATCH, HEAD"),
        ("patch", "/api/v5/sessions", "GET, POST, HEAD"),
        ("post", "/api/v5/health", "GET, HEAD"),
        ("options", "/api/v5/sessions", "GET, POST, HEAD"),
    ],
)
def test_a_wrong_method_is_a_405_envelope_with_allow(api, method, path, allowed):
    token = token_of(register(api, "m@example.com"))
    response = getattr(api, method)(path, **bearer(token))
    assert response.status_code == 405
    assert response["Allow"] == allowed
    assert error_of(response)["code"] == "method_not_allowed"


def test_an_oversized_body_is_413(api):
    body = '{"email": "' + "a" * 70_000 + '"}'
    response = api.post("/api/v5/auth/login", body, content_type="application/json")
    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
    ],
)
def test_a_non_json_body_is_415(api, content_type):
    response = api.post("/api/v5/auth/login", "email=a", content_type=content_type)
    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


@pytest.mark.parametrize(
    "raw",
    ["{bad", '{"a": NaN}', "[" * 50_000, '{"a": "\\ud800"', b"\xff\xfe{}", "", "null"],
)
def test_undecodable_or_hostile_json_is_400_not_500(api, raw):
    response = api.post("/api/v5/auth/login", raw, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["success"] is False


def test_an_unexpected_bug_is_a_500_envelope_without_details_and_is_logged(
    api, monkeypatch, caplog
):
    def boom(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("accounts.views.user_login", boom)
    with caplog.at_level(logging.ERROR, logger="config.api"):
        response = api.post("/api/v5/auth/login", {"email": "a@example.com", "password": "x"})

    assert response.status_code == 500
    assert response.json() == {
        "success": False,
        "error": {"code": InternalError.default_code, "message": InternalError.default_detail},
    }
    assert b"secret internals" not in response.content
    assert any("RuntimeError" in record.getMessage() for record in caplog.records)


def _sessions_list_failing_with(api, monkeypatch, error):
    token = token_of(register(api))

    def unreachable():
        raise error

    monkeypatch.setattr("accounts.selectors.get_database", unreachable)
    monkeypatch.setattr("sessions_api.selectors.get_database", unreachable)
    return api.get("/api/v5/sessions", **bearer(token))


# Every code of the retry table but the client-misuse one (2012): retryable
# codes the loop gave up on, timeouts, cancellation.
OUTAGE_CODES = sorted(set(store_errors.RETRY_TABLE) - set(store_errors.CLIENT_MISUSE))


@pytest.mark.parametrize(
    "error",
    [
        store_errors.StoreUnavailable("no cluster"),
        store_errors.StoreError("embedded store error: disk I/O error"),
        *(store_errors.FDBError(code) for code in OUTAGE_CODES),
    ],
    ids=lambda error: str(getattr(error, "code", type(error).__name__)),
)
def test_store_failures_are_a_503_envelope(api, monkeypatch, error):
    response = _sessions_list_failing_with(api, monkeypatch, error)
    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert error_of(response) == {
        "code": "store_unavailable",
        "message": "The data store is unavailable; try again shortly.",
    }


@pytest.mark.parametrize(
    "code",
    [
        store_errors.CLIENT_INVALID_OPERATION,
        store_errors.RANGE_LIMITS_INVALID,
        store_errors.TRANSACTION_TOO_LARGE,
    ],
)
def test_a_client_misuse_code_is_a_logged_bug_not_a_503(api, monkeypatch, caplog, code):
    # Retrying cannot cure it, so no Retry-After: it is our bug, and logged as one.
    with caplog.at_level(logging.ERROR, logger="config.api"):
        response = _sessions_list_failing_with(api, monkeypatch, store_errors.FDBError(code))
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert error_of(response)["code"] == InternalError.default_code
    assert any(
        record.exc_info and f"({code})" in str(record.exc_info[1]) for record in caplog.records
    )
