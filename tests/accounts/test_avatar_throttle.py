"""PUT /api/v5/auth/me/avatar is throttled per user (THROTTLE_AVATAR_RATE), in fdbstore."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from accounts.throttles import AVATAR_RATE_DEFAULT, avatar_rate
from config.api import clock
from tests.support import images
from tests.support.api import bearer, error_of, register, token_of
from tests.support.orgs import V5, ok, org  # noqa: F401

ME = "/api/v5/auth/me/avatar"
START = datetime(2030, 6, 1, 12, 10, 0, tzinfo=UTC)  # 10 min into an hour window


@pytest.fixture
def rate(api_settings):
    def set_rate(avatar: str) -> None:
        rates = {**api_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "avatar": avatar}
        api_settings.REST_FRAMEWORK = {
            **api_settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": rates,
        }

    set_rate("2/hour")
    return set_rate


def _token(api, email: str = "alice@example.com") -> str:
    return token_of(register(api, email=email))


def _put(api, token: str, data: bytes | None = None, content_type: str = "image/png"):
    body = images.png() if data is None else data
    return api.generic("PUT", ME, body, content_type=content_type, **bearer(token))


def test_the_third_upload_in_an_hour_is_429_with_retry_after(api, rate):
    token = _token(api)
    with clock.frozen(START):
        assert _put(api, token).status_code == 200
        assert _put(api, token, b"not an image").status_code == 400  # refused ones count too
        throttled = _put(api, token)
    assert throttled.status_code == 429
    assert throttled["Retry-After"] == "3000"
    error = error_of(throttled)
    assert error["code"] == "throttled"
    assert "3000 seconds" in error["message"]


def test_the_throttle_answers_before_the_body_is_read(api, rate):
    token = _token(api)
    with clock.frozen(START):
        _put(api, token), _put(api, token)
        # a body that would be 415 (and an oversize one 413) is not even looked at
        assert _put(api, token, b"x", content_type="text/plain").status_code == 429


def test_it_counts_per_user(api, rate):
    alice, bob = _token(api), _token(api, email="bob@example.com")
    with clock.frozen(START):
        _put(api, alice), _put(api, alice)
        assert _put(api, alice).status_code == 429
        assert _put(api, bob).status_code == 200


def test_delete_and_the_public_read_are_not_counted(api, rate):
    token = _token(api)
    with clock.frozen(START):
        url = _put(api, token).json()["data"]["avatarUrl"]
        for _ in range(3):
            assert api.get(url).status_code == 200
            assert api.head(url).status_code == 200
        for _ in range(3):
            assert api.delete(ME, **bearer(token)).status_code == 204
        assert _put(api, token).status_code == 200
        assert _put(api, token).status_code == 429
        assert api.delete(ME, **bearer(token)).status_code == 204


def test_the_window_resets(api, rate):
    token = _token(api)
    with clock.frozen(START) as fake:
        _put(api, token), _put(api, token)
        assert _put(api, token).status_code == 429
        fake.tick(seconds=3000)
        assert _put(api, token).status_code == 200


def test_an_api_key_is_refused_without_spending_the_users_budget(api, rate, org):  # noqa: F811
    body = {"name": "ci", "role": "admin"}
    key = ok(api.post(f"{org.url}/api-keys", body, format="json", **org.alice.auth), 201)["key"]
    with clock.frozen(START):
        for _ in range(3):
            refused = api.generic(
                "PUT", f"{V5}/auth/me/avatar", images.png(), content_type="image/png", **bearer(key)
            )
            assert refused.status_code == 403
        assert _put(api, org.alice.own).status_code == 200


def test_the_default_rate_is_30_an_hour(api_settings):
    rates = {"login": "10/min", "register": "5/min"}  # a dict without the avatar scope
    api_settings.REST_FRAMEWORK = {**api_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    assert avatar_rate() == AVATAR_RATE_DEFAULT == "30/hour"


def test_the_setting_reads_the_environment():
    from django.conf import settings

    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["avatar"] == "30/hour"


def test_a_bad_rate_is_refused_by_the_system_check(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "avatar": "lots"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    with pytest.raises(SystemCheckError, match="THROTTLE_AVATAR_RATE"):
        call_command("check")
