"""/tenants: list, create, get, rename, delete."""

from __future__ import annotations

import uuid

from tests.support.api import bearer, error_of
from tests.support.orgs import V5, ok

SESSIONS = f"{V5}/sessions"


def test_creating_an_organisation_makes_the_caller_its_owner(api, org):
    tenant = ok(api.get(org.url, **org.alice.auth))
    assert tenant["name"] == "Acme" and tenant["kind"] == "organization"
    assert tenant["role"] == "owner" and tenant["id"] == str(org.id)
    assert set(tenant) == {"id", "name", "kind", "role", "createdAt"}


def test_the_list_shows_each_tenant_with_the_callers_role(api, org):
    listed = ok(api.get(f"{V5}/tenants", **org.bob.own_auth))
    roles = {t["kind"]: t["role"] for t in listed}
    assert roles == {"personal": "owner", "organization": "member"}


def test_the_list_pages_with_a_cursor(api, org):
    for i in range(3):
        ok(api.post(f"{V5}/tenants", {"name": f"o{i}"}, format="json", **org.alice.own_auth), 201)
    first = api.get(f"{V5}/tenants?limit=2", **org.alice.own_auth).json()
    second = api.get(
        f"{V5}/tenants?limit=2&cursor={first['meta']['nextCursor']}", **org.alice.own_auth
    ).json()
    third = api.get(
        f"{V5}/tenants?limit=2&cursor={second['meta']['nextCursor']}", **org.alice.own_auth
    ).json()
    ids = [t["id"] for page in (first, second, third) for t in page["data"]]
    assert len(ids) == len(set(ids)) == 5 and third["meta"]["nextCursor"] is None


def test_an_outsider_gets_404_for_the_tenant_never_403(api, org):
    for method in ("get", "patch", "delete"):
        response = getattr(api, method)(org.url, {"name": "x"}, format="json", **org.charlie.auth)
        assert response.status_code == 404, method
        assert error_of(response)["code"] == "tenant_not_found"


def test_malformed_and_unknown_tenant_ids_are_404(api, org):
    for tid in ("nope", "1" * 60, str(uuid.uuid4()), "%00"):
        assert api.get(f"{V5}/tenants/{tid}", **org.alice.auth).status_code == 404


def test_rename_needs_admin(api, org):
    body = {"name": "Acme Ltd"}
    assert api.patch(org.url, body, format="json", **org.bob.auth).status_code == 403
    assert ok(api.patch(org.url, body, format="json", **org.dana.auth))["name"] == "Acme Ltd"
    assert ok(api.get(org.url, **org.bob.auth))["name"] == "Acme Ltd"


def test_rename_refuses_bad_names(api, org):
    for body in ({"name": ""}, {"name": "x" * 201}, {"name": 5}, {"name": "a", "kind": "x"}):
        response = api.patch(org.url, body, format="json", **org.alice.auth)
        assert response.status_code == 400, body
    assert ok(api.get(org.url, **org.alice.auth))["name"] == "Acme"


def test_only_the_owner_deletes_and_everything_goes(api, org, store):
    sid = ok(api.post(SESSIONS, {"name": "s"}, format="json", **org.bob.auth), 201)["id"]
    assert api.delete(org.url, **org.dana.auth).status_code == 403
    assert api.delete(org.url, **org.alice.auth).status_code == 204
    assert api.get(org.url, **org.alice.own_auth).status_code == 404
    refused = api.get(f"{SESSIONS}/{sid}", **org.bob.auth)
    assert refused.status_code == 401 and error_of(refused)["code"] == "membership_revoked"
    listed = ok(api.get(f"{V5}/tenants", **org.bob.own_auth))
    assert [t["kind"] for t in listed] == ["personal"]
    from tenancy.records import self_tenant_id

    assert (
        api.get(
            f"{V5}/tenants/{self_tenant_id(org.alice.user_id)}", **org.alice.own_auth
        ).status_code
        == 200
    )


def test_a_personal_tenant_cannot_be_deleted_or_invited_to(api, org):
    from tenancy.records import self_tenant_id

    own = f"{V5}/tenants/{self_tenant_id(org.alice.user_id)}"
    assert error_of(api.delete(own, **org.alice.own_auth))["code"] == "personal_tenant"
    body = {"email": "bob@example.com", "role": "member"}
    invited = api.post(f"{own}/invitations", body, format="json", **org.alice.own_auth)
    assert invited.status_code == 409


def test_deletion_runs_in_bounded_batches(api, org):
    from tenancy.services import organization_delete

    for i in range(7):
        ok(api.post(SESSIONS, {"name": f"s{i}"}, format="json", **org.bob.auth), 201)
    from accounts.records import Principal

    principal = Principal(
        user_id=org.alice.user_id,
        tenant_id=org.id,
        email=org.alice.email,
        jti="x",
        issued_at=0,
        expires_at=0,
        role="owner",
    )
    done = organization_delete(principal=principal, tenant_id=org.id, batch_size=2)
    assert done.sessions == 7 and done.memberships == 3 and done.transactions > 4
    assert api.get(org.url, **org.alice.own_auth).status_code == 404


def test_api_key_in_another_tenant_cannot_reach_this_one(api, org):
    key = ok(
        api.post(
            f"{org.url}/api-keys", {"name": "ci", "role": "admin"}, format="json", **org.alice.auth
        ),
        201,
    )["key"]
    from tenancy.records import self_tenant_id

    own = f"{V5}/tenants/{self_tenant_id(org.alice.user_id)}"
    assert api.get(own, **bearer(key)).status_code == 404
