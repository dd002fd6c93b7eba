"""No password, token or secret ever reaches a log line.

Requests carrying a password and a Bearer token go through the whole stack
(the real URLconf, the real endpoints) while every logger is captured at DEBUG.
The check runs on the raw records (message, arguments and every attribute,
before any redaction) and on the production JSON output.
"""

from __future__ import annotations

import uuid

import jwt
import pytest
from django.conf import settings
from rest_framework.test import APIClient

pytestmark = pytest.mark.urls("tests.config.urls")

PASSWORD = "Pa55-word-that-must-never-be-logged"
WRONG_PASSWORD = "Wr0ng-password-that-must-never-be-logged"


def forged_token() -> str:
    """A well-formed token signed with the real key, for when registration is unavailable."""
    claims = {"sub": str(uuid.uuid4()), "tenant_id": str(uuid.uuid4()), "jti": uuid.uuid4().hex}
    return jwt.encode(claims, settings.SECRET_KEY, algorithm="HS256")


def test_passwords_tokens_and_the_secret_stay_out_of_the_logs(store, captured_logs):
    client = APIClient()
    email = f"logs-{uuid.uuid4().hex[:8]}@example.com"
    body = {"email": email, "password": PASSWORD, "firstName": "Log", "lastName": "Test"}
    registered = client.post("/api/v5/auth/register", body, format="json")
    token = registered.json()["data"]["token"] if registered.status_code == 201 else forged_token()
    client.post("/api/v5/auth/login", {"email": email, "password": PASSWORD}, format="json")
    client.post("/api/v5/auth/login", {"email": email, "password": WRONG_PASSWORD}, format="json")
    client.post(
        "/api/v5/auth/login", f'{{"password": "{PASSWORD}"', content_type="application/json"
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client.get(f"/api/v5/sessions?access_token={token}", **auth)
    client.post("/api/v5/sessions", {"name": "s"}, format="json", **auth)
    client.get("/api/v5/sessions", HTTP_AUTHORIZATION=f"Bearer {token}x")  # a bad signature
    client.post("/api/v5/auth/logout", **auth)
    client.get("/api/v5/sessions", **auth)  # a revoked token

    assert len(captured_logs.named("coditect.request")) == 9
    secrets = {
        "password": PASSWORD,
        "wrong password": WRONG_PASSWORD,
        "token": token,
        "token signature": token.rsplit(".", 1)[1],
        "JWT_SECRET": settings.SECRET_KEY,
    }
    for output in (captured_logs.raw(), captured_logs.json()):
        for name, value in secrets.items():
            assert value not in output, f"the {name} reached a log record"


def test_a_crash_whose_message_holds_the_secret_is_redacted_in_the_output(captured_logs):
    APIClient(raise_request_exception=False).get("/_test/boom")
    assert settings.SECRET_KEY in captured_logs.raw()  # the exception text does hold it...
    assert settings.SECRET_KEY not in captured_logs.json()  # ...the written line does not
