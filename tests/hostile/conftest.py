"""A small world for hostile requests: Alice, her token, one session, a store snapshot."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from fdbstore.database import Database
from tests.support.api import bearer, register, token_of
from tests.support.fixtures import api, api_settings, frozen_clock, store  # noqa: F401
from tests.support.snapshot import store_snapshot


@dataclass
class World:
    api: APIClient
    db: Database
    token: str
    session_id: str
    before: dict[bytes, bytes]

    @property
    def auth(self) -> dict[str, str]:
        return bearer(self.token)

    def path(self, template: str) -> str:
        return template.format(sid=self.session_id)

    def assert_unchanged(self, label: str = "") -> None:
        """Every space but the throttle counters is byte-for-byte as it was."""
        assert store_snapshot(self.db) == self.before, f"store changed by: {label}"


@pytest.fixture
def world(api, store) -> World:  # noqa: F811
    token = token_of(register(api))
    created = api.post("/api/v5/sessions", {"name": "Existing"}, format="json", **bearer(token))
    assert created.status_code == 201, created.content
    return World(api, store, token, created.json()["data"]["id"], store_snapshot(store))
