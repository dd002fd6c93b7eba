"""``/api/v5/agents``: register, list and delete a tenant's workers."""

from __future__ import annotations

import uuid

from tests.agents.helpers import AGENTS, register_agent, skill
from tests.support.api import error_of


def test_register_answers_201_with_the_agent(api, alice, frozen_clock):
    agent = register_agent(api, alice, "echo", "summarise", name="w1")
    assert agent == {
        "id": agent["id"],
        "name": "w1",
        "skills": [{**skill("echo"), "tags": []}, {**skill("summarise"), "tags": []}],
        "createdAt": "2030-01-02T03:04:05.678000Z",
    }
    assert uuid.UUID(agent["id"]).version == 7


def test_list_shows_the_tenants_agents_only(api, people):
    mine = register_agent(api, people.alice)
    register_agent(api, people.charlie)
    listed = api.get(AGENTS, **people.bob.auth).json()["data"]  # Bob acts in Alice's tenant
    assert [agent["id"] for agent in listed] == [mine["id"]]


def test_delete_removes_it_and_another_tenant_gets_404(api, people):
    agent = register_agent(api, people.alice)
    assert api.delete(f"{AGENTS}/{agent['id']}", **people.charlie.auth).status_code == 404
    assert api.delete(f"{AGENTS}/{agent['id']}", **people.alice.auth).status_code == 204
    assert api.get(AGENTS, **people.alice.auth).json()["data"] == []
    assert api.delete(f"{AGENTS}/not-a-uuid", **people.alice.auth).status_code == 404


def test_a_skill_declared_twice_keeps_its_first_declaration(api, alice):
    twice = {"name": "w", "skills": [skill("a"), {**skill("a"), "name": "Again"}]}
    agent = api.post(AGENTS, twice, format="json", **alice.auth).json()["data"]
    assert [s["name"] for s in agent["skills"]] == ["A"]


def test_unknown_fields_are_400(api, alice):
    extra = {"name": "w", "skills": [skill("a")], "owner": "me"}
    response = api.post(AGENTS, extra, format="json", **alice.auth)
    assert response.status_code == 400
    assert "owner" in str(error_of(response))


def test_no_skills_is_400(api, alice):
    response = api.post(AGENTS, {"name": "w", "skills": []}, format="json", **alice.auth)
    assert response.status_code == 400


def test_without_credentials_it_is_401(api):
    assert api.get(AGENTS).status_code == 401
