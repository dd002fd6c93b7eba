"""/tenants/{id}/api-keys, and requests authenticated by a key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from config.api import clock
from tests.support.api import bearer, error_of
from tests.support.orgs import V5, ok

SESSIONS = f"{V5}/sessions"


def _key(api, org, role="member", actor=None, **extra):
    actor = actor or org.alice
    body = {"name": "ci", "role": role, **extra}
    return api.post(f"{org.url}/api-keys", body, format="json", **actor.auth)


def test_a_key_is_shown_once_with_its_prefix(api, org):
    made = ok(_key(api, org), 201)
    assert made["key"].startswith("cdt_") and made["key"].startswith(made["prefix"])
    assert set(made) == {
        "id",
        "name",
        "prefix",
        "role",
        "createdAt",
        "expiresAt",
        "lastUsedAt",
        "key",
    }
    listed = ok(api.get(f"{org.url}/api-keys", **org.alice.auth))
    assert [k["id"] for k in listed] == [made["id"]] and "key" not in listed[0]


def test_the_key_is_stored_only_as_a_digest(api, org, store):
    key = ok(_key(api, org), 201)["key"]
    from fdbstore.keys import keyspace

    span = keyspace().root.range()
    rows = store.transact(lambda tr: tr.get_range(span.start, span.stop))
    secret = key[4:].encode()
    assert not any(secret in row.key or secret in row.value for row in rows)


def test_a_key_acts_in_its_tenant_with_its_role(api, org):
    key = ok(_key(api, org), 201)["key"]
    sid = ok(api.post(SESSIONS, {"name": "by key"}, format="json", **bearer(key)), 201)["id"]
    assert [s["id"] for s in ok(api.get(SESSIONS, **org.bob.auth))] == [sid]
    bobs = ok(api.post(SESSIONS, {"name": "bob"}, format="json", **org.bob.auth), 201)["id"]
    assert api.delete(f"{SESSIONS}/{bobs}", **bearer(key)).status_code == 403
    listed = ok(api.get(f"{org.url}/api-keys", **org.alice.auth))
    assert listed[0]["lastUsedAt"] is not None


def test_a_key_of_another_tenant_does_not_see_these_sessions(api, org):
    sid = ok(api.post(SESSIONS, {"name": "acme"}, format="json", **org.alice.auth), 201)["id"]
    from tenancy.records import self_tenant_id

    own = f"{V5}/tenants/{self_tenant_id(org.alice.user_id)}"
    body = {"name": "mine", "role": "owner"}
    other = ok(api.post(f"{own}/api-keys", body, format="json", **org.alice.own_auth), 201)["key"]
    assert api.get(f"{SESSIONS}/{sid}", **bearer(other)).status_code == 404
    assert api.delete(f"{SESSIONS}/{sid}", **bearer(other)).status_code == 404
    assert api.get(org.url, **bearer(other)).status_code == 404


def test_a_revoked_key_is_refused_at_once(api, org):
    made = ok(_key(api, org), 201)
    assert api.get(SESSIONS, **bearer(made["key"])).status_code == 200
    assert api.delete(f"{org.url}/api-keys/{made['id']}", **org.dana.auth).status_code == 204
    refused = api.get(SESSIONS, **bearer(made["key"]))
    assert refused.status_code == 401 and error_of(refused)["code"] == "api_key_invalid"


def test_an_expired_key_is_refused(api, org):
    soon = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    key = ok(_key(api, org, expiresAt=soon), 201)["key"]
    assert api.get(SESSIONS, **bearer(key)).status_code == 200
    with clock.frozen(datetime.now(UTC) + timedelta(hours=2)):
        assert api.get(SESSIONS, **bearer(key)).status_code == 401


def test_a_key_goes_when_its_creator_leaves_and_is_capped_when_demoted(api, org):
    key = ok(_key(api, org, role="admin", actor=org.dana), 201)["key"]
    bobs = ok(api.post(SESSIONS, {"name": "bob"}, format="json", **org.bob.auth), 201)["id"]
    url = f"{org.url}/members/{org.dana.user_id}"
    ok(api.patch(url, {"role": "member"}, format="json", **org.alice.auth))
    assert api.delete(f"{SESSIONS}/{bobs}", **bearer(key)).status_code == 403
    assert api.delete(url, **org.alice.auth).status_code == 204
    assert api.get(SESSIONS, **bearer(key)).status_code == 401


def test_only_admins_make_keys_never_above_their_role(api, org):
    assert _key(api, org, actor=org.bob).status_code == 403
    assert _key(api, org, role="owner", actor=org.dana).status_code == 403
    assert _key(api, org, role="wizard").status_code == 400
    assert _key(api, org, expiresAt="tomorrow").status_code == 400


def test_a_key_cannot_make_keys_switch_or_log_out(api, org):
    key = ok(_key(api, org, role="admin"), 201)["key"]
    assert _key(api, org, actor=None, **{}).status_code == 201
    made = api.post(
        f"{org.url}/api-keys", {"name": "x", "role": "member"}, format="json", **bearer(key)
    )
    assert made.status_code == 403
    body = {"tenantId": str(org.id)}
    assert (
        api.post(f"{V5}/auth/switch-tenant", body, format="json", **bearer(key)).status_code == 403
    )
    assert api.post(f"{V5}/auth/logout", **bearer(key)).status_code == 403


def test_garbage_keys_are_401(api, org):
    for key in ("cdt_", "cdt_" + "a" * 300, "cdt_\u00e9t\u00e9", "cdt_x y"):
        response = api.get(SESSIONS, HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code == 401, key
