"""Login and register are throttled per client address and per email, in fdbstore."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from config.api import clock
from fdbstore.backends.embedded import EmbeddedDatabase
from fdbstore.connection import use_database
from tests.support.api import error_of, login, register

START = datetime(2030, 6, 1, 12, 0, 10, tzinfo=UTC)  # 10 s into a minute window


@pytest.fixture
def rates(api_settings):
    def set_rates(login: str = "3/min", register: str = "2/min") -> None:
        api_settings.REST_FRAMEWORK = {
            **api_settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"login": login, "register": register},
        }

    set_rates()
    return set_rates


def test_login_is_throttled_per_address_with_429_and_retry_after(api, rates):
    with clock.frozen(START):
        statuses = [login(api, f"user{i}@example.com", "x").status_code for i in range(4)]
        throttled = login(api, "another@example.com", "x")

    assert statuses == [401, 401, 401, 429]
    assert throttled.status_code == 429
    assert throttled["Retry-After"] == "50"
    assert error_of(throttled)["code"] == "throttled"


def test_login_is_throttled_per_email_across_addresses(api, rates):
    with clock.frozen(START):
        statuses = [
            api.post(
                "/api/v5/auth/login",
                {"email": "Target@Example.com", "password": "x"},
                REMOTE_ADDR=f"10.0.0.{i}",
            ).status_code
            for i in range(4)
        ]
    assert statuses == [401, 401, 401, 429]


def test_the_window_resets(api, rates):
    with clock.frozen(START) as fake:
        for _ in range(3):
            login(api, "a@example.com", "x")
        assert login(api, "a@example.com", "x").status_code == 429
        fake.tick(seconds=50)
        assert login(api, "a@example.com", "x").status_code == 401


def test_register_is_throttled_too(api, rates):
    with clock.frozen(START):
        first = register(api, "one@example.com")
        second = register(api, "two@example.com")
        third = register(api, "three@example.com")
    assert (first.status_code, second.status_code, third.status_code) == (201, 201, 429)


def test_other_endpoints_are_not_throttled(api, rates):
    with clock.frozen(START):
        assert all(api.get("/api/v5/health").status_code == 200 for _ in range(10))


def test_counters_are_shared_by_every_process_on_the_store(api, rates, store):
    other = EmbeddedDatabase(path=store.path, synchronous="NORMAL")  # as another worker would
    try:
        with clock.frozen(START):
            login(api, "a@example.com", "x")
            with use_database(other):
                login(api, "a@example.com", "x")
                login(api, "a@example.com", "x")
            assert login(api, "a@example.com", "x").status_code == 429
    finally:
        other.close()


def test_rates_come_from_settings_at_request_time(api, rates):
    rates(login="1/s")
    with clock.frozen(START) as fake:
        assert login(api, "a@example.com", "x").status_code == 401
        response = login(api, "a@example.com", "x")
        assert response.status_code == 429 and response["Retry-After"] == "1"
        fake.tick(seconds=1)
        assert login(api, "a@example.com", "x").status_code == 401


def test_a_bad_rate_is_refused_by_the_system_check(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"login": "ten per minute", "register": "5/min"},
    }
    with pytest.raises(SystemCheckError, match="THROTTLE_LOGIN_RATE"):
        call_command("check")
