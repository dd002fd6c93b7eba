"""Races inside one process (threads on one store): two owners demoting each other
leave exactly one owner; organisation sessions are shared by all members."""

from __future__ import annotations

import threading

from rest_framework.test import APIClient

from tests.support.orgs import V5, ok

SESSIONS = f"{V5}/sessions"


def test_two_owners_demoting_each_other_leave_one_owner(api, org):
    ok(
        api.patch(
            f"{org.url}/members/{org.dana.user_id}",
            {"role": "owner"},
            format="json",
            **org.alice.auth,
        )
    )
    statuses: list[int] = []
    barrier = threading.Barrier(2)

    def demote(actor, target) -> None:
        client = APIClient()
        barrier.wait()
        url = f"{org.url}/members/{target.user_id}"
        statuses.append(
            client.patch(url, {"role": "member"}, format="json", **actor.auth).status_code
        )

    threads = [
        threading.Thread(target=demote, args=(org.alice, org.dana)),
        threading.Thread(target=demote, args=(org.dana, org.alice)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses)[0] == 200 and sorted(statuses)[1] in (403, 409), statuses
    owners = [m for m in ok(api.get(f"{org.url}/members", **org.bob.auth)) if m["role"] == "owner"]
    assert len(owners) == 1


def test_every_member_sees_every_members_sessions(api, org):
    made = {
        ok(api.post(SESSIONS, {"name": p.email}, format="json", **p.auth), 201)["id"]
        for p in (org.alice, org.bob, org.dana)
    }
    for person in (org.alice, org.bob, org.dana):
        assert {s["id"] for s in ok(api.get(SESSIONS, **person.auth))} == made
    assert ok(api.get(SESSIONS, **org.charlie.auth)) == []
    for sid in made:
        assert api.get(f"{SESSIONS}/{sid}", **org.charlie.auth).status_code == 404
