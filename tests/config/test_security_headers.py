"""With DEBUG off: security headers on every response, and nothing internal in any body."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings

pytestmark = pytest.mark.urls("tests.config.urls")


def test_debug_is_off_in_the_test_settings():
    assert settings.DEBUG is False


@pytest.mark.parametrize("path", ["/api/v5/health", "/api/v5/no-such-endpoint", "/elsewhere"])
def test_every_response_carries_the_security_headers(store, path):
    response = Client().get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response  # plain HTTP: no HSTS


@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_hsts_is_sent_behind_an_https_proxy(store):
    response = Client().get("/api/v5/health", HTTP_X_FORWARDED_PROTO="https")
    assert response["Strict-Transport-Security"] == f"max-age={settings.SECURE_HSTS_SECONDS}"
    assert settings.SECURE_HSTS_SECONDS >= 31_536_000
    assert "Strict-Transport-Security" not in Client().get("/api/v5/health")


def assert_nothing_internal(response) -> None:
    body = response.content.decode(errors="replace")
    for leak in ("Traceback", "RuntimeError", settings.SECRET_KEY, "SECRET_KEY", "INSTALLED_APPS"):
        assert leak not in body, leak
    assert "tests/config/urls.py" not in body
    assert "_test/boom" not in body or response.status_code != 500


def test_a_server_error_shows_no_traceback_setting_or_secret():
    response = Client(raise_request_exception=False).get("/_test/boom")
    assert response.status_code == 500
    assert_nothing_internal(response)


@pytest.mark.parametrize("path", ["/elsewhere", "/api/v5/no-such-endpoint"])
def test_a_not_found_lists_no_url_patterns(path):
    response = Client().get(path)
    assert response.status_code == 404
    assert_nothing_internal(response)
    assert "URLconf" not in response.content.decode()
