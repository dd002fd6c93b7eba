"""Forged, expired, malformed and revoked tokens are all 401."""

from __future__ import annotations

import base64
import json
import time
import uuid
from datetime import timedelta

import jwt
import pytest
from django.conf import settings

from accounts.tokens import ApiAccessToken
from config.api import clock
from config.api.ids import epoch_ms, uuid7_at, uuid7_ms
from tests.support.api import bearer, error_of, register, token_of


def _claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _me(api, token: str):
    return api.get("/api/v5/auth/me", **bearer(token))


@pytest.fixture
def token(api) -> str:
    return token_of(register(api))


def test_a_valid_token_is_accepted(api, token):
    assert _me(api, token).status_code == 200


def test_alg_none_is_refused(api, token):
    forged = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims(token))}."
    response = _me(api, forged)
    assert response.status_code == 401
    assert error_of(response)["code"] == "token_invalid"


def test_a_token_signed_with_another_key_is_refused(api, token):
    forged = jwt.encode(_claims(token), "another-key-" * 4, algorithm="HS256")
    assert error_of(_me(api, forged))["code"] == "token_invalid"


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_another_hmac_algorithm_with_the_right_key_is_refused(api, token):
    forged = jwt.encode(_claims(token), settings.SIMPLE_JWT["SIGNING_KEY"], algorithm="HS512")
    assert error_of(_me(api, forged))["code"] == "token_invalid"


def test_an_altered_payload_is_refused(api, token):
    header, _payload, signature = token.split(".")
    claims = {**_claims(token), "tenant_id": str(uuid.uuid4())}
    assert error_of(_me(api, f"{header}.{_b64(claims)}.{signature}"))["code"] == "token_invalid"


def test_an_expired_token_is_refused_as_expired(api):
    register(api)
    with clock.frozen(clock.now() - timedelta(hours=24, seconds=1)):
        old = token_of(
            api.post(
                "/api/v5/auth/login",
                {"email": "alice@example.com", "password": "correct horse battery staple"},
            )
        )
    response = _me(api, old)
    assert response.status_code == 401
    assert error_of(response)["code"] == "token_expired"


def test_a_token_about_to_expire_is_still_accepted(api):
    register(api)
    with clock.frozen(clock.now() - timedelta(hours=23, minutes=59)):
        token = token_of(
            api.post(
                "/api/v5/auth/login",
                {"email": "alice@example.com", "password": "correct horse battery staple"},
            )
        )
    assert _me(api, token).status_code == 200


def test_a_revoked_token_is_refused(api, token):
    api.post("/api/v5/auth/logout", **bearer(token))
    assert error_of(_me(api, token))["code"] == "token_revoked"


@pytest.mark.parametrize(
    "change",
    [
        {"sub": None},
        {"sub": "not-a-uuid"},
        {"tenant_id": 12},
        {"email": ""},
        {"iat": "yesterday"},
        {"iat": True},
        {"jti": "x" * 65},
        {"jti": None},
        {"jti": str(uuid.uuid4())},  # not a UUIDv7
        {"jti": uuid.uuid4().hex},  # the jti of tokens issued before UUIDv7 jtis
        {"jti": uuid7_at(1_900_000_000_000).hex},  # a UUIDv7, not in its canonical spelling
        {"jti": str(uuid7_at(1_900_000_000_000)).upper()},
        {"jti": "{" + str(uuid7_at(1_900_000_000_000)) + "}"},
        {"jti": 12},
    ],
)
def test_correctly_signed_tokens_with_malformed_claims_are_refused(api, token, change):
    claims = {k: v for k, v in {**_claims(token), **change}.items() if v is not None}
    signed = jwt.encode(claims, settings.SIMPLE_JWT["SIGNING_KEY"], algorithm="HS256")
    response = _me(api, signed)
    assert response.status_code == 401
    assert error_of(response)["code"] == "token_invalid"


def test_a_token_without_exp_is_refused(api, token):
    claims = {k: v for k, v in _claims(token).items() if k != "exp"}
    signed = jwt.encode(claims, settings.SIMPLE_JWT["SIGNING_KEY"], algorithm="HS256")
    assert _me(api, signed).status_code == 401


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer a b", "Bearer garbage", "Bearer e30.e30.e30", "bearer \u00e9\u00e9"],
)
def test_malformed_authorization_headers_are_401(api, header):
    response = api.get("/api/v5/auth/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert error_of(response)["code"] == "token_invalid"


def test_another_scheme_is_treated_as_no_credentials(api):
    response = api.get("/api/v5/auth/me", HTTP_AUTHORIZATION="Basic YTpi")
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_the_scheme_is_case_insensitive(api, token):
    assert api.get("/api/v5/auth/me", HTTP_AUTHORIZATION=f"bearer {token}").status_code == 200


def test_issued_tokens_use_the_api_clock():
    now = clock.now().replace(microsecond=0)
    token = ApiAccessToken.issue(
        user_id=uuid.uuid4(), tenant_id=uuid.uuid4(), email="a@b.c", now=now
    )
    assert token["iat"] == int(now.timestamp())
    assert token["exp"] == int(now.timestamp()) + 86400
    assert abs(token["iat"] - time.time()) < 5
    jti = uuid.UUID(token["jti"])
    assert str(jti) == token["jti"] and jti.version == 7
    assert uuid7_ms(jti) == epoch_ms(now)
