"""Fixtures for the API tests: a fresh store per test, fast hashing, high rates.

Each test package's ``conftest.py`` imports the ones it uses.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from rest_framework.test import APIClient

from config.api import clock
from fdbstore.database import Database
from tests.support.stores import fresh_store

HIGH_RATES = {"login": "100000/min", "register": "100000/min", "avatar": "100000/min"}


@pytest.fixture
def store(tmp_path) -> Iterator[Database]:
    """A new embedded store in ``tmp_path``, installed as the process's database."""
    with fresh_store(tmp_path) as db:
        yield db


@pytest.fixture
def api_settings(settings):
    """Fast Argon2 parameters and throttle rates no test reaches by accident."""
    settings.PASSWORD_HASHERS = ["tests.support.hashers.FastArgon2PasswordHasher"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": HIGH_RATES}
    return settings


@pytest.fixture
def api(store, api_settings) -> APIClient:
    return APIClient()


@pytest.fixture
def frozen_clock() -> Iterator[clock.FrozenClock]:
    with clock.frozen(datetime(2030, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)) as fake:
        yield fake
