"""/tenants/{id}/invitations and /invitations/accept."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from config.api import clock
from tests.support.api import bearer, error_of, register, token_of
from tests.support.orgs import V5, ok, switch

ACCEPT = f"{V5}/invitations/accept"


def _invite(api, org, email="erin@example.com", role="member", actor=None):
    actor = actor or org.alice
    return api.post(
        f"{org.url}/invitations", {"email": email, "role": role}, format="json", **actor.auth
    )


def _erin(api):
    return token_of(register(api, "Erin@Example.com", first_name="Erin"))


def test_invite_returns_a_code_once_and_lists_without_it(api, org):
    made = ok(_invite(api, org), 201)
    assert set(made) == {"id", "email", "role", "createdAt", "expiresAt", "code"}
    listed = ok(api.get(f"{org.url}/invitations", **org.dana.auth))
    assert [i["id"] for i in listed] == [made["id"]] and "code" not in listed[0]


def test_the_code_is_stored_only_as_a_digest(api, org, store):
    code = ok(_invite(api, org), 201)["code"]
    from fdbstore.keys import keyspace

    span = keyspace().root.range()
    rows = store.transact(lambda tr: tr.get_range(span.start, span.stop))
    assert not any(code.encode() in row.key or code.encode() in row.value for row in rows)


def test_accept_by_the_invited_email_any_case_makes_a_member(api, org):
    code = ok(_invite(api, org, role="admin"), 201)["code"]
    erin = _erin(api)
    tenant = ok(api.post(ACCEPT, {"code": code}, format="json", **bearer(erin)))
    assert tenant["id"] == str(org.id) and tenant["role"] == "admin"
    token = switch(api, erin, org.id)
    me = ok(api.get(f"{V5}/auth/me", **bearer(token)))
    assert me["role"] == "admin"
    assert ok(api.get(f"{org.url}/invitations", **org.alice.auth)) == []


def test_a_code_is_single_use(api, org):
    code = ok(_invite(api, org), 201)["code"]
    erin = _erin(api)
    ok(api.post(ACCEPT, {"code": code}, format="json", **bearer(erin)))
    again = api.post(ACCEPT, {"code": code}, format="json", **bearer(erin))
    assert again.status_code == 404 and error_of(again)["code"] == "invitation_invalid"


def later(**delta):
    """The API's clock moved ahead (tokens are checked against the real time)."""
    return clock.frozen(datetime.now(UTC) + timedelta(**delta))


def test_wrong_code_other_email_and_expired_code_are_refused_with_nothing_changed(api, org):
    code = ok(_invite(api, org), 201)["code"]
    erin = _erin(api)
    for body, auth in (
        ({"code": "nope"}, bearer(erin)),
        ({"code": code}, org.charlie.auth),
        ({"code": "x" * 5000}, org.charlie.auth),
    ):
        response = api.post(ACCEPT, body, format="json", **auth)
        assert response.status_code in (400, 404), response.content
    with later(days=7, seconds=1):
        expired = api.post(ACCEPT, {"code": code}, format="json", **bearer(erin))
    assert expired.status_code == 404
    members = ok(api.get(f"{org.url}/members", **org.alice.auth))
    assert "erin@example.com" not in {m["email"] for m in members}


def test_only_admins_invite_and_only_owners_invite_owners(api, org):
    assert _invite(api, org, actor=org.bob).status_code == 403
    assert _invite(api, org, role="owner", actor=org.dana).status_code == 403
    assert _invite(api, org, role="owner", actor=org.alice).status_code == 201
    assert _invite(api, org, role="king").status_code == 400
    assert _invite(api, org, email="not-an-email").status_code == 400


def test_withdraw(api, org):
    made = ok(_invite(api, org), 201)
    url = f"{org.url}/invitations/{made['id']}"
    assert api.delete(url, **org.bob.auth).status_code == 403
    assert api.delete(url, **org.dana.auth).status_code == 204
    assert api.delete(url, **org.dana.auth).status_code == 404
    assert api.delete(f"{org.url}/invitations/xyz", **org.dana.auth).status_code == 404
    accepted = api.post(ACCEPT, {"code": made["code"]}, format="json", **bearer(_erin(api)))
    assert accepted.status_code == 404


def test_an_existing_member_accepting_is_409(api, org):
    code = ok(_invite(api, org, email="bob@example.com"), 201)["code"]
    assert api.post(ACCEPT, {"code": code}, format="json", **org.bob.own_auth).status_code == 409


def test_purge_expired_clears_expired_invitations(api, org):
    from tenancy.invitations import invitations_purge

    ok(_invite(api, org), 201)
    assert invitations_purge().expired == 0
    with later(days=8):
        assert invitations_purge().expired == 1
    assert ok(api.get(f"{org.url}/invitations", **org.alice.auth)) == []


def test_switching_to_a_tenant_you_are_not_in_is_404(api, org):
    for tid in (org.id, uuid.uuid4()):
        response = api.post(
            f"{V5}/auth/switch-tenant", {"tenantId": str(tid)}, format="json", **org.charlie.auth
        )
        assert response.status_code == 404
    bad = api.post(f"{V5}/auth/switch-tenant", {"tenantId": "x"}, format="json", **org.charlie.auth)
    assert bad.status_code == 400
