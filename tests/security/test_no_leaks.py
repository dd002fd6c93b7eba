"""With DEBUG off: no traceback, setting or secret in any response; security headers on all.

Every operation is driven to each failure it can have -- including a crash
(an exception whose message holds the signing key and a file path) and a
store outage -- and to success. No body may carry a traceback, an exception
name, a setting name, the signing key, a password or its hash, or a path on
the server; every response carries ``X-Content-Type-Options``,
``X-Frame-Options`` and ``Referrer-Policy``, and HSTS exactly when the request
came over HTTPS through the trusted proxy header.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import override_settings

from fdbstore.errors import FDBError
from tests.support.api import STRONG_PASSWORD, bearer, register, token_of
from tests.support.hostile import OPERATIONS

OP_IDS = [f"{method} {path}" for method, path, _ in OPERATIONS]

# Where each operation's view hands over to the domain: patched to crash.
SEAMS = {
    ("POST", "/api/v5/auth/register"): "accounts.views.user_register",
    ("POST", "/api/v5/auth/login"): "accounts.views.user_login",
    ("POST", "/api/v5/auth/logout"): "accounts.views.user_logout",
    ("GET", "/api/v5/auth/me"): "accounts.views.user_me",
    ("PATCH", "/api/v5/auth/me"): "accounts.views.user_profile_update",
    ("POST", "/api/v5/auth/password"): "accounts.views.user_password_replace",
    ("GET", "/api/v5/sessions"): "sessions_api.views.session_list",
    ("POST", "/api/v5/sessions"): "sessions_api.views.session_create",
    ("GET", "/api/v5/sessions/{sid}"): "sessions_api.views.session_get",
    ("DELETE", "/api/v5/sessions/{sid}"): "sessions_api.views.session_delete",
    ("GET", "/api/v5/health"): "config.api.health.get_database",
}
BODIES = {
    "/api/v5/auth/register": {
        "email": "bob@example.com",
        "password": STRONG_PASSWORD,
        "firstName": "Bob",
        "lastName": "Baker",
    },
    "/api/v5/auth/login": {"email": "alice@example.com", "password": STRONG_PASSWORD},
    "/api/v5/sessions": {"name": "Leak check"},
    "/api/v5/auth/me": {"firstName": "Alicia"},
    "/api/v5/auth/password": {
        "currentPassword": STRONG_PASSWORD,
        "newPassword": "new passphrase 9",
    },
}


def forbidden_texts() -> list[str]:
    return [
        "Traceback",
        'File "',
        "RuntimeError",
        "FDBError",
        "Exception",
        "SECRET_KEY",
        "JWT_SECRET",
        "SIGNING_KEY",
        "INSTALLED_APPS",
        "DATABASES",
        "site-packages",
        "/work/",
        "argon2$",  # a password hash
        STRONG_PASSWORD,
        settings.SECRET_KEY,
    ]


def assert_no_leak(response, label: str) -> None:
    text = response.content.decode("utf-8", "replace")
    for leak in forbidden_texts():
        assert leak not in text, (label, leak)
    if response.status_code >= 400:
        body = json.loads(text)
        assert body["success"] is False and set(body["error"]) <= {"code", "message", "details"}


def assert_security_headers(response, label: str, *, https: bool = False) -> None:
    assert response["X-Content-Type-Options"] == "nosniff", label
    assert response["X-Frame-Options"] == "DENY", label
    assert response["Referrer-Policy"] == "same-origin", label
    if https:
        assert response["Strict-Transport-Security"].startswith("max-age="), label
        assert int(response["Strict-Transport-Security"][8:].split(";")[0]) >= 31_536_000
    else:
        assert "Strict-Transport-Security" not in response, label


@pytest.fixture
def alice(api):
    token = token_of(register(api))
    created = api.post("/api/v5/sessions", {"name": "Mine"}, format="json", **bearer(token))
    return token, created.json()["data"]["id"]


def call(api, method, path, sid, token, **extra):
    body = BODIES.get(path) if method in ("POST", "PATCH") else None
    return api.generic(
        method,
        path.format(sid=sid),
        json.dumps(body) if body else "",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        **extra,
    )


def test_debug_is_off():
    assert settings.DEBUG is False


@pytest.mark.parametrize(("method", "path", "auth"), OPERATIONS, ids=OP_IDS)
def test_a_crash_anywhere_is_a_bare_500_envelope(api, alice, monkeypatch, method, path, auth):
    def crash(*args, **kwargs):
        raise RuntimeError(f"boom {settings.SECRET_KEY} in /work/main/config/settings.py")

    monkeypatch.setattr(SEAMS[method, path], crash)
    response = call(api, method, path, alice[1], alice[0])
    assert response.status_code == 500
    assert json.loads(response.content)["error"]["code"] == "internal_error"
    assert_no_leak(response, "crash")
    assert_security_headers(response, "crash")


@pytest.mark.parametrize(("method", "path", "auth"), OPERATIONS, ids=OP_IDS)
def test_a_store_outage_anywhere_is_a_bare_503(api, alice, monkeypatch, method, path, auth):
    def outage(*args, **kwargs):
        raise FDBError(1031, f"timed out; cluster file /etc/foundationdb/fdb.cluster {path}")

    monkeypatch.setattr(SEAMS[method, path], outage)
    response = call(api, method, path, alice[1], alice[0])
    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert_no_leak(response, "outage")
    assert "fdb.cluster" not in response.content.decode()


@pytest.mark.parametrize(("method", "path", "auth"), OPERATIONS, ids=OP_IDS)
def test_every_answer_of_every_operation_has_the_headers_and_no_leak(
    api, alice, method, path, auth
):
    token, sid = alice
    answers = {
        "normal": call(api, method, path, sid, token),
        "bad token": call(api, method, path, sid, "x.y.z"),
        "bad body": api.generic(
            method, path.format(sid=sid), b"{", content_type="application/json", **bearer(token)
        ),
        "wrong type": api.generic(
            method, path.format(sid=sid), b"x", content_type="text/plain", **bearer(token)
        ),
        "unknown id": call(api, method, path, "00000000-0000-0000-0000-000000000000", token),
        "wrong method": api.generic("PUT", path.format(sid=sid), **bearer(token)),
    }
    for label, response in answers.items():
        assert_no_leak(response, f"{method} {path}: {label}")
        assert_security_headers(response, f"{method} {path}: {label}")


@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
@pytest.mark.parametrize(("method", "path", "auth"), OPERATIONS, ids=OP_IDS)
def test_hsts_is_sent_on_every_operation_behind_https(api, alice, method, path, auth):
    token, sid = alice
    response = call(api, method, path, sid, token, HTTP_X_FORWARDED_PROTO="https")
    assert_security_headers(response, f"{method} {path}", https=True)
    plain = call(api, method, path, sid, token, HTTP_X_FORWARDED_PROTO="http")
    assert "Strict-Transport-Security" not in plain


def test_a_spoofed_proto_header_is_not_trusted_without_the_setting(api, alice, settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    response = api.get("/api/v5/health", HTTP_X_FORWARDED_PROTO="https")
    assert "Strict-Transport-Security" not in response


def test_throttled_answers_leak_nothing(api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"login": "1/min", "register": "1/min"},
    }
    for _ in range(2):
        response = api.post("/api/v5/auth/login", BODIES["/api/v5/auth/login"], format="json")
    assert response.status_code == 429
    assert_no_leak(response, "throttled")
    assert_security_headers(response, "throttled")


def test_docs_and_schema_leak_nothing(api):
    for path in ("/api/v5/schema/", "/api/v5/schema/?format=json", "/api/v5/docs/"):
        response = api.get(path)
        assert response.status_code == 200
        assert_no_leak(response, path)
        assert_security_headers(response, path)
