"""Driving a session's files through the test client."""

from __future__ import annotations


class Files:
    """A session of Alice's and helpers to drive its files through the test client."""

    def __init__(self, api, auth: dict[str, str], sid: str) -> None:
        self.api, self.auth, self.sid = api, auth, sid
        self.base = f"/api/v5/sessions/{sid}/files"

    def put(
        self,
        path: str,
        data: bytes = b"",
        content_type: str = "application/octet-stream",
        **headers,
    ):
        return self.api.generic(
            "PUT", f"{self.base}/{path}", data, content_type=content_type, **self.auth, **headers
        )

    def get(self, path: str, **headers):
        return self.api.get(f"{self.base}/{path}", **self.auth, **headers)

    def head(self, path: str, **headers):
        return self.api.head(f"{self.base}/{path}", **self.auth, **headers)

    def delete(self, path: str, query: str = "", **headers):
        return self.api.delete(f"{self.base}/{path}{query}", **self.auth, **headers)

    def list(self, **params):
        return self.api.get(self.base, params, **self.auth)

    def op(self, name: str, body: dict):
        return self.api.post(f"{self.base}:{name}", body, format="json", **self.auth)

    def usage(self):
        return self.api.get("/api/v5/usage", **self.auth).json()["data"]


def new_session(api, auth) -> str:
    response = api.post("/api/v5/sessions", {"name": "files"}, format="json", **auth)
    assert response.status_code == 201, response.content
    return response.json()["data"]["id"]


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content
