"""Helpers for the agents tests."""

from __future__ import annotations

AGENTS = "/api/v5/agents"


def skill(skill_id: str = "echo") -> dict:
    return {"id": skill_id, "name": skill_id.title(), "description": f"Does {skill_id}."}


def register_agent(api, person, *skill_ids: str, name: str = "worker") -> dict:
    body = {"name": name, "skills": [skill(s) for s in skill_ids or ("echo",)]}
    response = api.post(AGENTS, body, format="json", **person.auth)
    assert response.status_code == 201, response.content
    return response.json()["data"]


def user_message(text: str = "hello") -> dict:
    return {"messageId": text + "-m", "role": "ROLE_USER", "parts": [{"text": text}]}


def claim(api, person, agent_id: str, timeout: float = 0):
    return api.post(
        f"{AGENTS}/{agent_id}/claim", {"timeout": timeout}, format="json", **person.auth
    )


def update(api, person, task_id: str, **body):
    url = f"/api/v5/a2a/tasks/{task_id}/updates"
    return api.post(url, body, format="json", **person.auth)
