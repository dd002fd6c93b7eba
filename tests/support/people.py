"""The tenancy fixture: Alice owns a tenant, Bob is a member of it, Charlie is outside.

Alice and Charlie register through the API. Bob registers too, then is made
a member of Alice's tenant by writing the membership directly (no endpoint
adds members yet) and given a token for Alice's tenant, as the planned
tenant switch will issue.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from accounts.tokens import ApiAccessToken
from config.api import clock
from fdbstore.connection import get_database
from tenancy.records import MEMBER, Membership, self_tenant_id
from tenancy.repositories import memberships
from tests.support.api import register, token_of


@dataclass(frozen=True)
class Person:
    email: str
    user_id: uuid.UUID
    tenant_id: uuid.UUID  # the tenant this person's token acts in
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}


@dataclass(frozen=True)
class People:
    alice: Person
    bob: Person
    charlie: Person


def _registered(api, email: str, first: str) -> Person:
    response = register(api, email, first_name=first)
    user_id = uuid.UUID(response.json()["data"]["user"]["id"])
    return Person(email, user_id, self_tenant_id(user_id), token_of(response))


@pytest.fixture
def people(api) -> People:
    alice = _registered(api, "alice@example.com", "Alice")
    bob_own = _registered(api, "bob@example.com", "Bob")
    charlie = _registered(api, "charlie@example.com", "Charlie")
    now = clock.now()
    membership = Membership(bob_own.user_id, alice.tenant_id, MEMBER, now)
    get_database().transact(lambda tr: memberships.insert(tr, membership))
    token = ApiAccessToken.issue(
        user_id=bob_own.user_id, tenant_id=alice.tenant_id, email=bob_own.email, now=now
    )
    bob = Person(bob_own.email, bob_own.user_id, alice.tenant_id, str(token))
    return People(alice, bob, charlie)
