"""Forged and stale tokens are 401 on every protected operation, and do nothing.

Signed with another key, ``alg: none`` in any spelling, another algorithm in
the header (HS512 re-signed with the right key, RS256 with the original or a
re-computed HMAC signature), expired, not yet valid (``iat`` or ``nbf`` in the
future), revoked by logout or by a password change, an edited ``tenant_id``,
and correctly signed claims that would crash a naive check (``exp`` as a
string or past year 9999). Each is refused before the view runs: nothing is
created, deleted or revoked.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from datetime import timedelta

import jwt
import pytest
from django.conf import settings

from accounts.services import user_password_change
from config.api import clock
from tests.support.api import STRONG_PASSWORD, bearer, login, register, token_of
from tests.support.envelope import assert_error_envelope
from tests.support.hostile import PROTECTED
from tests.support.snapshot import store_snapshot

# The HS512 forgery uses the real 48-byte key, short for SHA-512: the point is the header.
pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
OP_IDS = [f"{method} {path}" for method, path, _ in PROTECTED]


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def claims_of(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def unsigned(header: dict, claims: dict) -> str:
    return f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"


def hmac_signed(header: dict, claims: dict, key: str) -> str:
    signing_input = unsigned(header, claims)
    digest = hmac.new(key.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(digest)}"


def forgeries(token: str) -> list[tuple[str, str, str]]:
    """(label, token, expected error code) for every forgery of ``token``."""
    key = settings.SIMPLE_JWT["SIGNING_KEY"]
    claims = claims_of(token)
    header, payload, signature = token.split(".")
    rs256_header = b64(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
    now = int(clock.now().timestamp())

    def edited(**changes) -> str:
        """The payload with ``changes``, keeping the original signature."""
        return b64(json.dumps({**claims, **changes}).encode())

    def signed(**changes) -> str:
        return jwt.encode({**claims, **changes}, key, algorithm="HS256")

    cases = [
        ("another key", jwt.encode(claims, "another-key-" * 4, algorithm="HS256"), "token_invalid"),
        ("HS512 with the right key", jwt.encode(claims, key, algorithm="HS512"), "token_invalid"),
        (
            "RS256 header, original signature",
            f"{rs256_header}.{payload}.{signature}",
            "token_invalid",
        ),
        (
            "RS256 header, HMAC re-signed",
            hmac_signed({"alg": "RS256", "typ": "JWT"}, claims, key),
            "token_invalid",
        ),
        ("expired", signed(exp=now - 1, iat=now - 86401), "token_expired"),
        ("iat in the future", signed(iat=now + 3600, exp=now + 3600 + 86400), "token_invalid"),
        ("nbf in the future", signed(nbf=now + 3600), "token_invalid"),
        ("exp as a string", signed(exp=str(now + 3600)), "token_invalid"),
        ("exp past year 9999", signed(exp=10**30), "token_invalid"),
        ("exp as a float", signed(exp=now + 3600.5), "token_invalid"),
        (
            "edited tenant_id",
            f"{header}.{edited(tenant_id=str(uuid.uuid4()))}.{signature}",
            "token_invalid",
        ),
        (
            "edited sub",
            f"{header}.{edited(sub=str(uuid.uuid4()))}.{signature}",
            "token_invalid",
        ),
        ("signature stripped", f"{header}.{payload}.", "token_invalid"),
    ]
    for alg in ("none", "None", "NONE", "nOnE"):
        cases.append(
            (f"alg {alg}", unsigned({"alg": alg, "typ": "JWT"}, claims) + ".", "token_invalid")
        )
    cases.append(
        ("alg missing", unsigned({"typ": "JWT"}, claims) + "." + signature, "token_invalid")
    )
    return cases


@pytest.fixture
def alice(api):
    token = token_of(register(api))
    created = api.post("/api/v5/sessions", {"name": "Keep me"}, format="json", **bearer(token))
    return token, created.json()["data"]["id"]


BODIES = {
    ("POST", "/api/v5/sessions"): {"name": "Forged"},
    ("POST", "/api/v5/auth/password"): {
        "currentPassword": STRONG_PASSWORD,
        "newPassword": "a forged new passphrase",
    },
}


def call(api, method: str, path: str, sid: str, token: str):
    body = BODIES.get((method, path))
    return api.generic(
        method,
        path.format(sid=sid),
        json.dumps(body) if body else "",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


@pytest.mark.parametrize(("method", "path", "auth"), PROTECTED, ids=OP_IDS)
def test_forged_tokens_are_401_and_do_nothing(api, store, alice, method, path, auth):
    token, sid = alice
    before = store_snapshot(store)
    for label, forged, code in forgeries(token):
        response = call(api, method, path, sid, forged)
        error = assert_error_envelope(response, 401)
        assert error["code"] == code, label
        assert response["WWW-Authenticate"].startswith("Bearer"), label
        assert store_snapshot(store) == before, label
    assert call(api, method, path, sid, token).status_code < 400  # the real one still works


@pytest.mark.parametrize(("method", "path", "auth"), PROTECTED, ids=OP_IDS)
def test_a_token_revoked_by_logout_is_401_and_does_nothing(api, store, alice, method, path, auth):
    token, sid = alice
    assert api.post("/api/v5/auth/logout", **bearer(token)).status_code == 200
    before = store_snapshot(store)
    error = assert_error_envelope(call(api, method, path, sid, token), 401)
    assert error["code"] == "token_revoked"
    assert store_snapshot(store) == before


@pytest.mark.parametrize(("method", "path", "auth"), PROTECTED, ids=OP_IDS)
def test_a_token_older_than_a_password_change_is_401(api, store, alice, method, path, auth):
    token, sid = alice
    with clock.frozen(clock.now() + timedelta(seconds=2)):
        user_password_change(email="alice@example.com", password="a brand new passphrase 42")
    before = store_snapshot(store)
    error = assert_error_envelope(call(api, method, path, sid, token), 401)
    assert error["code"] == "token_revoked"
    assert store_snapshot(store) == before


def test_the_tokens_header_names_hs256_and_its_claims_are_the_guides(api):
    register(api)
    token = token_of(login(api))
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header == {"alg": "HS256", "typ": "JWT"}
    assert set(claims_of(token)) == {"sub", "tenant_id", "email", "exp", "iat", "jti"}
    assert STRONG_PASSWORD not in json.dumps(claims_of(token))
