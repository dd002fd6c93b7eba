"""An organisation being deleted: refused and hidden from the first commit, and a
deletion interrupted half way is finished by ``purge_expired`` or by its owner."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from accounts.records import Principal
from fdbstore.keys import keyspace
from tenancy import services
from tests.support.api import bearer, error_of
from tests.support.orgs import V5, ok

SESSIONS = f"{V5}/sessions"


class Interrupted(Exception):
    pass


def _interrupt_after_members_started(monkeypatch) -> None:
    """The step after the first one that deleted a membership raises: a crash half way,
    with sessions gone, some memberships gone and some left."""
    real, started = services.tenant_purge_step, []

    def step(tr, *, tenant_id, limit):
        if started:
            raise Interrupted()
        result = real(tr, tenant_id=tenant_id, limit=limit)
        if result[1]:
            started.append(True)
        return result

    monkeypatch.setattr(services, "tenant_purge_step", step)


def _owner(org) -> Principal:
    return Principal(
        user_id=org.alice.user_id,
        tenant_id=org.id,
        email=org.alice.email,
        jti="x",
        issued_at=0,
        expires_at=0,
        role="owner",
    )


def _purge(*args: str) -> dict:
    out = io.StringIO()
    call_command("purge_expired", "--json", *args, stdout=out)
    return json.loads(out.getvalue())["tenantDeletions"]


def _members(store, org) -> int:
    space = keyspace().tenant_users.range((org.id,))
    return len(store.transact(lambda tr: tr.get_range(space.start, space.stop)))


def _marked(store, org) -> bool:
    return store.transact(lambda tr: tr.get(keyspace().tenant_deleting(org.id))) is not None


def _half_deleted(api, org, store, monkeypatch) -> None:
    for i in range(3):
        ok(api.post(SESSIONS, {"name": f"s{i}"}, format="json", **org.bob.auth), 201)
    _interrupt_after_members_started(monkeypatch)
    with pytest.raises(Interrupted):
        services.organization_delete(principal=_owner(org), tenant_id=org.id, batch_size=1)
    monkeypatch.undo()
    assert 0 < _members(store, org) < 3 and _marked(store, org)


def test_a_half_deleted_organisation_is_refused_and_hidden(api, org, store, monkeypatch):
    _half_deleted(api, org, store, monkeypatch)
    for person in (org.alice, org.bob, org.dana):
        refused = api.get(SESSIONS, **person.auth)
        assert refused.status_code == 401, person.email
        assert error_of(refused)["code"] == "membership_revoked"
        assert api.get(org.url, **person.own_auth).status_code == 404
        assert api.get(f"{org.url}/members", **person.own_auth).status_code == 404
        listed = ok(api.get(f"{V5}/tenants", **person.own_auth))
        assert [t["kind"] for t in listed] == ["personal"]
        body = {"tenantId": str(org.id)}
        switched = api.post(f"{V5}/auth/switch-tenant", body, format="json", **person.own_auth)
        assert switched.status_code == 404
    # neither an admin nor an outsider can resume it (nor learn it exists)
    assert api.delete(org.url, **org.dana.own_auth).status_code == 404
    assert api.delete(org.url, **org.charlie.own_auth).status_code == 404


def test_purge_expired_finishes_a_half_done_deletion(api, org, store, monkeypatch):
    _half_deleted(api, org, store, monkeypatch)
    assert _purge("--dry-run") == {"scanned": 1, "purged": 1}
    assert _marked(store, org)
    assert _purge() == {"scanned": 1, "purged": 1}
    assert _members(store, org) == 0 and not _marked(store, org)
    tenant = store.transact(lambda tr: tr.get(keyspace().tenant(org.id)))
    assert tenant is None
    sessions = keyspace().tenant_sessions.range((org.id,))
    assert store.transact(lambda tr: tr.get_range(sessions.start, sessions.stop)) == []
    call_command("fdbstore_check", stdout=io.StringIO())  # raises CommandError unless clean
    assert _purge() == {"scanned": 0, "purged": 0}


def test_the_owner_who_started_it_resumes_it_through_the_api(api, org, store, monkeypatch):
    _half_deleted(api, org, store, monkeypatch)
    assert api.delete(org.url, **org.alice.own_auth).status_code == 204
    assert _members(store, org) == 0 and not _marked(store, org)
    assert api.delete(org.url, **org.alice.own_auth).status_code == 404
    call_command("fdbstore_check", stdout=io.StringIO())


def test_another_owner_still_a_member_may_resume_it(api, org, store, monkeypatch):
    ok(
        api.patch(
            f"{org.url}/members/{org.dana.user_id}",
            {"role": "owner"},
            format="json",
            **org.alice.auth,
        )
    )
    for i in range(3):
        ok(api.post(SESSIONS, {"name": f"s{i}"}, format="json", **org.bob.auth), 201)
    real = services.tenant_purge_step
    calls = []

    def step(tr, *, tenant_id, limit):
        calls.append(1)
        if len(calls) > 1:
            raise Interrupted()
        return real(tr, tenant_id=tenant_id, limit=limit)

    monkeypatch.setattr(services, "tenant_purge_step", step)
    with pytest.raises(Interrupted):
        services.organization_delete(principal=_owner(org), tenant_id=org.id, batch_size=1)
    monkeypatch.undo()
    assert _members(store, org) == 3 and _marked(store, org)
    assert api.delete(org.url, **org.bob.own_auth).status_code == 404  # a member: no
    assert api.delete(org.url, **org.dana.own_auth).status_code == 204  # an owner: yes
    assert _members(store, org) == 0 and not _marked(store, org)


def test_api_keys_stop_with_the_first_commit(api, org, store, monkeypatch):
    key = ok(
        api.post(
            f"{org.url}/api-keys", {"name": "ci", "role": "member"}, format="json", **org.alice.auth
        ),
        201,
    )["key"]
    ok(api.post(SESSIONS, {"name": "s"}, format="json", **org.bob.auth), 201)
    assert api.get(SESSIONS, **bearer(key)).status_code == 200
    real, calls = services.tenant_purge_step, []

    def step(tr, *, tenant_id, limit):
        calls.append(1)
        if len(calls) > 1:
            raise Interrupted()
        return real(tr, tenant_id=tenant_id, limit=limit)

    monkeypatch.setattr(services, "tenant_purge_step", step)
    with pytest.raises(Interrupted):
        services.organization_delete(principal=_owner(org), tenant_id=org.id, batch_size=1)
    monkeypatch.undo()
    assert _marked(store, org)
    refused = api.get(SESSIONS, **bearer(key))
    assert refused.status_code == 401 and error_of(refused)["code"] == "api_key_invalid"


def test_an_invitation_cannot_be_accepted_once_marked(api, org, store, monkeypatch):
    url = f"{org.url}/invitations"
    body = {"email": "charlie@example.com", "role": "member"}
    code = ok(api.post(url, body, format="json", **org.alice.auth), 201)["code"]
    _half_deleted(api, org, store, monkeypatch)
    accepted = api.post(
        f"{V5}/invitations/accept", {"code": code}, format="json", **org.charlie.own_auth
    )
    assert error_of(accepted)["code"] == "invitation_invalid"
    assert _members(store, org) < 3
