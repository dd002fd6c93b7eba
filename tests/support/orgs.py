"""An organisation fixture built through the API: Alice owns Acme, Bob and Dana are
members (Dana an admin), Charlie is outside. Each person's ``org`` token acts in Acme
(``POST /auth/switch-tenant``); ``own`` is their personal token."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from tests.support.api import bearer, register, token_of

V5 = "/api/v5"


@dataclass(frozen=True)
class Member:
    email: str
    user_id: uuid.UUID
    own: str  # personal-tenant token
    org: str | None  # Acme token (None for Charlie)

    @property
    def auth(self) -> dict[str, str]:
        return bearer(self.org or self.own)

    @property
    def own_auth(self) -> dict[str, str]:
        return bearer(self.own)


@dataclass(frozen=True)
class Org:
    id: uuid.UUID
    alice: Member
    bob: Member
    dana: Member
    charlie: Member

    @property
    def url(self) -> str:
        return f"{V5}/tenants/{self.id}"


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content
    return response.json()["data"] if response.content else {}


def registered(api, email: str, first: str) -> tuple[uuid.UUID, str]:
    response = register(api, email, first_name=first)
    return uuid.UUID(response.json()["data"]["user"]["id"]), token_of(response)


def join(api, tenant_id, inviter_token: str, email: str, token: str, role: str) -> str:
    """Invite ``email`` with ``role``, accept with ``token``; return a token for the tenant."""
    url = f"{V5}/tenants/{tenant_id}/invitations"
    code = ok(
        api.post(url, {"email": email, "role": role}, format="json", **bearer(inviter_token)), 201
    )["code"]
    ok(api.post(f"{V5}/invitations/accept", {"code": code}, format="json", **bearer(token)))
    return switch(api, token, tenant_id)


def switch(api, token: str, tenant_id) -> str:
    body = {"tenantId": str(tenant_id)}
    return ok(api.post(f"{V5}/auth/switch-tenant", body, format="json", **bearer(token)))["token"]


@pytest.fixture
def org(api) -> Org:
    alice_id, alice_own = registered(api, "alice@example.com", "Alice")
    bob_id, bob_own = registered(api, "bob@example.com", "Bob")
    dana_id, dana_own = registered(api, "dana@example.com", "Dana")
    charlie_id, charlie_own = registered(api, "charlie@example.com", "Charlie")
    tenant = ok(
        api.post(f"{V5}/tenants", {"name": "Acme"}, format="json", **bearer(alice_own)), 201
    )
    tid = uuid.UUID(tenant["id"])
    alice_org = switch(api, alice_own, tid)
    bob_org = join(api, tid, alice_org, "bob@example.com", bob_own, "member")
    dana_org = join(api, tid, alice_org, "dana@example.com", dana_own, "admin")
    return Org(
        tid,
        Member("alice@example.com", alice_id, alice_own, alice_org),
        Member("bob@example.com", bob_id, bob_own, bob_org),
        Member("dana@example.com", dana_id, dana_own, dana_org),
        Member("charlie@example.com", charlie_id, charlie_own, None),
    )
