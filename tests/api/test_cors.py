"""CORS: every origin in development, CORS_ALLOWED_ORIGINS in production."""

from __future__ import annotations

import pytest


def _preflight(api, origin: str):
    return api.options(
        "/api/v5/sessions",
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )


def test_development_allows_every_origin_with_the_guides_methods_headers_and_max_age(api, settings):
    settings.CORS_ALLOW_ALL_ORIGINS = True
    response = _preflight(api, "http://localhost:5173")

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] in ("*", "http://localhost:5173")
    assert response["Access-Control-Allow-Methods"] == "GET, POST, PUT, PATCH, DELETE"
    # the guide's two, MCP's protocol headers (issue 12), and the files API's
    # conditional and range headers (issue 11)
    assert response["Access-Control-Allow-Headers"] == (
        "authorization, content-type, mcp-protocol-version, mcp-method, mcp-name, "
        "if-match, if-none-match, range"
    )
    assert response["Access-Control-Max-Age"] == "3600"


@pytest.mark.parametrize(
    "origin,allowed", [("https://coditect.ai", True), ("https://evil.example", False)]
)
def test_production_allows_only_the_configured_origins(api, settings, origin, allowed):
    settings.CORS_ALLOW_ALL_ORIGINS = False
    settings.CORS_ALLOWED_ORIGINS = ["https://coditect.ai"]
    preflight = _preflight(api, origin)
    actual = api.get("/api/v5/health", HTTP_ORIGIN=origin)

    for response in (preflight, actual):
        assert (response.get("Access-Control-Allow-Origin") == origin) is allowed


def test_error_responses_carry_cors_headers_and_expose_retry_after_and_request_id(api, settings):
    settings.CORS_ALLOW_ALL_ORIGINS = True
    response = api.get("/api/v5/sessions", HTTP_ORIGIN="http://localhost:5173")
    assert response.status_code == 401
    assert "Access-Control-Allow-Origin" in response
    exposed = response["Access-Control-Expose-Headers"]
    assert "Retry-After" in exposed
    assert "X-Request-ID" in exposed
