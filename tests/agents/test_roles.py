"""Who may do what on the hub (tenancy/permissions.py): table-driven.

bob is a plain member of alice's (personal) tenant; alice is its owner; a key is
an API key of that tenant with the member role."""

from __future__ import annotations

import pytest

from agents.errors import CancelDenied
from agents.services import task_cancel, task_submit
from tests.agents.helpers import AGENTS, claim, register_agent, skill, user_message


def api_key(api, owner, role="member") -> dict[str, str]:
    url = f"/api/v5/tenants/{owner.tenant_id}/api-keys"
    response = api.post(url, {"name": "worker", "role": role}, format="json", **owner.auth)
    assert response.status_code == 201, response.content
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['data']['key']}"}


def auth_of(api, people, who) -> dict[str, str]:
    if who == "member key":
        return api_key(api, people.alice)
    return {"owner": people.alice, "member": people.bob}[who].auth


@pytest.mark.parametrize(
    ("who", "register", "delete"),
    [("owner", 201, 204), ("member", 403, 403), ("member key", 201, 204)],
)
def test_who_may_register_and_remove_workers(api, people, who, register, delete):
    auth = auth_of(api, people, who)
    body = {"name": "w", "skills": [skill()]}
    response = api.post(AGENTS, body, format="json", **auth)
    assert response.status_code == register, response.content
    if register != 201:
        assert response.json()["error"]["code"] == "permission_denied"
    existing = register_agent(api, people.alice)
    assert api.delete(f"{AGENTS}/{existing['id']}", **auth).status_code == delete


def test_a_member_may_still_list_workers_and_claim(api, people):
    agent = register_agent(api, people.alice)
    assert api.get(AGENTS, **people.bob.auth).status_code == 200
    assert claim(api, people.bob, agent["id"]).status_code == 204


@pytest.mark.parametrize(
    ("submitter", "canceler", "allowed"),
    [
        ("bob", "bob", True),  # one's own task
        ("alice", "bob", False),  # a member: not others' tasks
        ("bob", "alice", True),  # the owner: anyone's
        ("alice", "alice", True),
    ],
)
def test_who_may_cancel_a_task(api, people, submitter, canceler, allowed):
    register_agent(api, people.alice)
    by = getattr(people, submitter)
    task = task_submit(
        tenant_id=people.alice.tenant_id,
        skill_id="echo",
        message=user_message(),
        submitted_by=by.user_id,
    )
    principal = _principal(getattr(people, canceler))
    if allowed:
        task_cancel(tenant_id=task.tenant_id, task_id=str(task.id), principal=principal)
    else:
        with pytest.raises(CancelDenied):
            task_cancel(tenant_id=task.tenant_id, task_id=str(task.id), principal=principal)


def _principal(person):
    from accounts.records import Principal

    role = "owner" if person.email.startswith("alice") else "member"
    return Principal(
        user_id=person.user_id,
        tenant_id=person.tenant_id,
        email=person.email,
        jti="j",
        issued_at=0,
        expires_at=0,
        role=role,
    )
