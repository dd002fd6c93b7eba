"""Alice owns a tenant, Bob is a member of it, Charlie must see nothing of it."""

from __future__ import annotations

from tests.support.api import error_of

SESSIONS = "/api/v5/sessions"


def _create(api, person, name):
    return api.post(SESSIONS, {"name": name}, format="json", **person.auth).json()["data"]


def test_members_of_a_tenant_share_its_sessions(api, people):
    alices = _create(api, people.alice, "alice's")
    bobs = _create(api, people.bob, "bob's")

    assert bobs["tenantId"] == alices["tenantId"] == str(people.alice.tenant_id)
    for person in (people.alice, people.bob):
        listed = api.get(SESSIONS, **person.auth).json()["data"]
        assert [s["name"] for s in listed] == ["bob's", "alice's"]


def test_an_outsider_sees_an_empty_list(api, people):
    _create(api, people.alice, "secret")
    assert api.get(SESSIONS, **people.charlie.auth).json()["data"] == []


def test_an_outsider_gets_the_never_existed_404_for_get_and_delete(api, people):
    secret = _create(api, people.alice, "secret")
    never = api.get(f"{SESSIONS}/00000000-0000-7000-8000-000000000000", **people.charlie.auth)

    for method in ("get", "delete"):
        response = getattr(api, method)(f"{SESSIONS}/{secret['id']}", **people.charlie.auth)
        assert response.status_code == 404
        assert response.content == never.content
    assert error_of(never)["code"] == "session_not_found"
    assert api.get(f"{SESSIONS}/{secret['id']}", **people.alice.auth).status_code == 200


def test_an_outsiders_cursor_cannot_reach_another_tenant(api, people):
    for i in range(3):
        _create(api, people.alice, f"a{i}")
    cursor = api.get(f"{SESSIONS}?limit=1", **people.alice.auth).json()["meta"]["nextCursor"]
    response = api.get(f"{SESSIONS}?cursor={cursor}", **people.charlie.auth)
    assert response.status_code == 200
    assert response.json()["data"] == []


def test_charlies_own_sessions_are_his_alone(api, people):
    _create(api, people.charlie, "charlie's")
    assert [s["name"] for s in api.get(SESSIONS, **people.charlie.auth).json()["data"]] == [
        "charlie's"
    ]
    assert api.get(SESSIONS, **people.alice.auth).json()["data"] == []


def test_a_member_cannot_delete_another_members_session(api, people):
    alices = _create(api, people.alice, "alice's")
    refused = api.delete(f"{SESSIONS}/{alices['id']}", **people.bob.auth)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    assert api.get(f"{SESSIONS}/{alices['id']}", **people.alice.auth).status_code == 200


def test_a_member_deletes_their_own_and_an_owner_anyones_session(api, people):
    bobs = _create(api, people.bob, "bob's")
    other = _create(api, people.bob, "bob's other")
    assert api.delete(f"{SESSIONS}/{bobs['id']}", **people.bob.auth).status_code == 204
    assert api.delete(f"{SESSIONS}/{other['id']}", **people.alice.auth).status_code == 204
    assert api.get(f"{SESSIONS}/{other['id']}", **people.alice.auth).status_code == 404
