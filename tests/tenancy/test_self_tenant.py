"""Self tenants: UUID v5 of the user id, written with the user."""

from __future__ import annotations

import uuid

from tenancy.records import SELF_TENANT_NAMESPACE, self_tenant_id
from tenancy.repositories import memberships, tenants
from tests.support.api import register


def test_the_namespace_is_fixed_forever():
    assert uuid.UUID("5b61b272-c1f3-5b78-bf59-1dacfed72d92") == SELF_TENANT_NAMESPACE
    assert uuid.uuid5(uuid.NAMESPACE_DNS, "tenants.coditect.ai") == SELF_TENANT_NAMESPACE
    user_id = uuid.UUID("550e8400-e29b-41d4-a716-446655440000")
    assert self_tenant_id(user_id) == uuid.uuid5(SELF_TENANT_NAMESPACE, str(user_id))
    assert self_tenant_id(user_id).version == 5


def test_registration_writes_the_tenant_and_the_owner_membership(api, store):
    user_id = uuid.UUID(
        register(api, first_name="Ada", last_name="Lovelace").json()["data"]["user"]["id"]
    )
    tenant_id = self_tenant_id(user_id)

    tenant = store.transact(lambda tr: tenants.get(tr, tenant_id))
    membership = store.transact(lambda tr: memberships.get(tr, user_id, tenant_id))
    assert (tenant.kind, tenant.owner_id, tenant.name) == ("personal", user_id, "Ada Lovelace")
    assert membership.role == "owner"


def test_the_repositories_are_registered_for_fdbstore_check():
    from fdbstore.registry import repositories

    assert {
        "accounts.users",
        "tenancy.tenants",
        "tenancy.memberships",
        "sessions_api.sessions",
    } <= set(repositories())


def test_a_registered_stores_indexes_check_clean(api, store, people):
    from fdbstore.checks import check_repository
    from fdbstore.registry import repositories

    api.post("/api/v5/sessions", {"name": "s"}, format="json", **people.alice.auth)
    for name, repository in repositories().items():
        if name.split(".")[0] in {"accounts", "tenancy", "sessions_api"}:
            report = check_repository(store, name, repository)
            assert report.ok, report
