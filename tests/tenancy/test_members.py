"""/tenants/{id}/members: list, change a role, remove, leave; the last-owner rule."""

from __future__ import annotations

import uuid

from tests.support.api import error_of
from tests.support.orgs import V5, ok

SESSIONS = f"{V5}/sessions"


def _role(api, org, member, role, actor):
    url = f"{org.url}/members/{member.user_id}"
    return api.patch(url, {"role": role}, format="json", **actor.auth)


def test_every_member_sees_the_members(api, org):
    members = ok(api.get(f"{org.url}/members", **org.bob.auth))
    assert {m["email"]: m["role"] for m in members} == {
        "alice@example.com": "owner",
        "bob@example.com": "member",
        "dana@example.com": "admin",
    }
    assert set(members[0]) == {"userId", "email", "name", "role", "joinedAt"}


def test_members_page(api, org):
    first = api.get(f"{org.url}/members?limit=2", **org.bob.auth).json()
    cursor = first["meta"]["nextCursor"]
    second = api.get(f"{org.url}/members?limit=2&cursor={cursor}", **org.bob.auth).json()
    assert len(first["data"]) == 2 and len(second["data"]) == 1
    bad = api.get(f"{org.url}/members?cursor=zzz", **org.bob.auth)
    assert bad.status_code == 400


def test_an_admin_promotes_a_member_to_admin(api, org):
    assert ok(_role(api, org, org.bob, "admin", org.dana))["role"] == "admin"


def test_a_member_cannot_raise_their_own_role(api, org):
    response = _role(api, org, org.bob, "admin", org.bob)
    assert response.status_code == 403
    assert ok(api.get(f"{org.url}/members", **org.bob.auth))[1]["role"] in {
        "member",
        "owner",
        "admin",
    }


def test_an_admin_cannot_make_an_owner_nor_demote_one(api, org):
    assert _role(api, org, org.bob, "owner", org.dana).status_code == 403
    assert _role(api, org, org.alice, "member", org.dana).status_code == 403
    assert _role(api, org, org.dana, "owner", org.dana).status_code == 403


def test_an_unknown_role_is_400(api, org):
    for role in ("root", "", None, 1, "OWNER"):
        assert _role(api, org, org.bob, role, org.alice).status_code == 400, role


def test_the_last_owner_cannot_leave_be_demoted_or_removed(api, org):
    demoted = _role(api, org, org.alice, "admin", org.alice)
    assert demoted.status_code == 409 and error_of(demoted)["code"] == "last_owner"
    left = api.delete(f"{org.url}/members/{org.alice.user_id}", **org.alice.auth)
    assert left.status_code == 409
    ok(_role(api, org, org.dana, "owner", org.alice))
    assert ok(_role(api, org, org.alice, "member", org.dana))["role"] == "member"


def test_a_member_leaves_and_loses_access_on_the_next_request(api, org):
    assert ok(api.get(SESSIONS, **org.bob.auth)) == []
    assert api.delete(f"{org.url}/members/{org.bob.user_id}", **org.bob.auth).status_code == 204
    refused = api.get(SESSIONS, **org.bob.auth)
    assert refused.status_code == 401 and error_of(refused)["code"] == "membership_revoked"
    assert api.get(org.url, **org.bob.own_auth).status_code == 404


def test_a_member_cannot_remove_others_an_admin_can(api, org):
    url = f"{org.url}/members/{org.dana.user_id}"
    assert api.delete(url, **org.bob.auth).status_code == 403
    assert api.delete(f"{org.url}/members/{org.alice.user_id}", **org.dana.auth).status_code == 403
    assert api.delete(f"{org.url}/members/{org.bob.user_id}", **org.dana.auth).status_code == 204


def test_demotion_takes_effect_on_the_next_request(api, org):
    sid = ok(api.post(SESSIONS, {"name": "b"}, format="json", **org.bob.auth), 201)["id"]
    ok(_role(api, org, org.dana, "member", org.alice))
    assert api.delete(f"{SESSIONS}/{sid}", **org.dana.auth).status_code == 403


def test_unknown_or_malformed_member_is_404(api, org):
    for uid in (str(uuid.uuid4()), "not-a-uuid", str(org.charlie.user_id)):
        url = f"{org.url}/members/{uid}"
        assert (
            api.patch(url, {"role": "member"}, format="json", **org.alice.auth).status_code == 404
        )
        assert api.delete(url, **org.alice.auth).status_code == 404


def test_a_switched_token_is_refused_after_its_user_left(api, org):
    ok(api.get(org.url, **org.bob.auth))
    api.delete(f"{org.url}/members/{org.bob.user_id}", **org.alice.auth)
    assert api.get(org.url, **org.bob.auth).status_code == 401
    assert api.get(f"{V5}/auth/me", **org.bob.auth).status_code == 401
