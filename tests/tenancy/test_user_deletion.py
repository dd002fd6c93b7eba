"""Deleting a user who belongs to organisations; ``/auth/me`` through an API key."""

from __future__ import annotations

import pytest

from accounts.services import user_delete
from tenancy.errors import LastOwner
from tests.support.api import bearer
from tests.support.orgs import V5, ok


def test_the_only_owner_of_an_organisation_cannot_be_deleted(api, org):
    with pytest.raises(LastOwner):
        user_delete(email=org.alice.email)
    assert ok(api.get(org.url, **org.alice.auth))["role"] == "owner"  # nothing changed


def test_a_deleted_member_leaves_the_organisation_with_their_keys(api, org):
    body = {"name": "dana's", "role": "admin"}
    key = ok(api.post(f"{org.url}/api-keys", body, format="json", **org.dana.auth), 201)["key"]
    user_delete(email=org.dana.email)
    emails = {m["email"] for m in ok(api.get(f"{org.url}/members", **org.alice.auth))}
    assert emails == {"alice@example.com", "bob@example.com"}
    assert api.get(f"{V5}/sessions", **bearer(key)).status_code == 401
    assert ok(api.get(f"{org.url}/api-keys", **org.alice.auth)) == []


def test_me_through_a_key_shows_the_keys_role(api, org):
    body = {"name": "ci", "role": "member"}
    key = ok(api.post(f"{org.url}/api-keys", body, format="json", **org.alice.auth), 201)["key"]
    me = ok(api.get(f"{V5}/auth/me", **bearer(key)))
    assert me["email"] == org.alice.email and me["role"] == "member"
