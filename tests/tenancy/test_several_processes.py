"""Organisations across two real server processes on one store: a removal is refused
at once by both, and a race of accepts of one invitation code gives one member.
(The servers fixture is the one ``tests/api/test_several_processes.py`` starts.)"""

from __future__ import annotations

import threading

from tests.api.test_several_processes import PASSWORD, call, servers  # noqa: F401


def _user(base: str, name: str) -> str:
    body = {
        "email": f"{name}@example.com",
        "password": PASSWORD,
        "firstName": name,
        "lastName": "X",
    }
    status, data = call(base, "POST", "/auth/register", body)
    assert status == 201, data
    return data["data"]["token"]


def _switch(base: str, token: str, tenant_id: str) -> str:
    status, data = call(base, "POST", "/auth/switch-tenant", {"tenantId": tenant_id}, token)
    assert status == 200, data
    return data["data"]["token"]


def test_a_removal_is_refused_on_every_process_at_once(servers):  # noqa: F811
    a, b = servers
    owner = _user(a, "orgowner")
    status, tenant = call(a, "POST", "/tenants", {"name": "Multi"}, owner)
    tid = tenant["data"]["id"]
    owner_org = _switch(a, owner, tid)
    member = _user(b, "orgmember")
    code = call(
        a,
        "POST",
        f"/tenants/{tid}/invitations",
        {"email": "orgmember@example.com", "role": "member"},
        owner_org,
    )[1]["data"]["code"]
    assert call(b, "POST", "/invitations/accept", {"code": code}, member)[0] == 200
    member_org = _switch(b, member, tid)
    assert call(a, "GET", "/sessions", token=member_org)[0] == 200
    assert call(b, "GET", "/sessions", token=member_org)[0] == 200
    members = call(a, "GET", f"/tenants/{tid}/members", token=owner_org)[1]["data"]
    uid = next(m["userId"] for m in members if m["email"] == "orgmember@example.com")
    assert call(a, "DELETE", f"/tenants/{tid}/members/{uid}", token=owner_org)[0] == 204
    for base in (b, a):
        status, refused = call(base, "GET", "/sessions", token=member_org)
        assert status == 401 and refused["error"]["code"] == "membership_revoked"


def test_an_invitation_race_across_processes_makes_one_member(servers):  # noqa: F811
    a, b = servers
    owner = _user(a, "raceowner")
    tid = call(a, "POST", "/tenants", {"name": "Race"}, owner)[1]["data"]["id"]
    owner_org = _switch(a, owner, tid)
    invitee = _user(b, "racer")
    code = call(
        a,
        "POST",
        f"/tenants/{tid}/invitations",
        {"email": "racer@example.com", "role": "member"},
        owner_org,
    )[1]["data"]["code"]
    statuses: list[int] = []
    barrier = threading.Barrier(6)

    def accept(i: int) -> None:
        barrier.wait()
        statuses.append(
            call(servers[i % 2], "POST", "/invitations/accept", {"code": code}, invitee)[0]
        )

    threads = [threading.Thread(target=accept, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 404, 404, 404, 404, 404]
    members = call(b, "GET", f"/tenants/{tid}/members", token=owner_org)[1]["data"]
    assert sorted(m["email"] for m in members) == ["raceowner@example.com", "racer@example.com"]
