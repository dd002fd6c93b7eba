"""A worker agent written with plain HTTP (httpx, no SDK): register, claim, report."""

from __future__ import annotations

from typing import Any

import httpx


class PlainWorker:
    def __init__(self, base_url: str, token: str, skills: list[str], name: str = "w") -> None:
        self.http = httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        )
        skill_list = [{"id": s, "name": s, "description": f"does {s}"} for s in skills]
        reply = self.http.post("/api/v5/agents", json={"name": name, "skills": skill_list})
        assert reply.status_code == 201, reply.text
        self.id = reply.json()["data"]["id"]

    def claim(self, timeout: float = 20) -> dict[str, Any] | None:
        reply = self.http.post(f"/api/v5/agents/{self.id}/claim", json={"timeout": timeout})
        assert reply.status_code in (200, 204), reply.text
        return reply.json()["data"] if reply.status_code == 200 else None

    def update(self, task_id: str, lease_id: str, **body: Any) -> httpx.Response:
        url = f"/api/v5/a2a/tasks/{task_id}/updates"
        return self.http.post(url, json={"leaseId": lease_id, **body})

    def close(self) -> None:
        self.http.close()
