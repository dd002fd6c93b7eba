"""A real HTTP client for system tests: one fresh connection per request.

A new connection each time lets the kernel hand every request to whichever
server worker accepts first, so a run of requests reaches every worker.
"""

from __future__ import annotations

import http.client
import json
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

STRONG_PASSWORD = "correct horse battery staple"


class Headers(dict):
    """Response headers looked up case-insensitively, as HTTP names are
    (the production server sends them in lower case)."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        super().__init__((name.lower(), value) for name, value in pairs)

    def __getitem__(self, name: str) -> str:
        return super().__getitem__(name.lower())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and super().__contains__(name.lower())

    def get(self, name: str, default: Any = None) -> Any:
        return super().get(name.lower(), default)


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: Any  # the decoded JSON, or None for an empty or non-JSON body
    request_id: str = field(default="")

    @property
    def data(self) -> Any:
        return self.body["data"]

    @property
    def error_code(self) -> str | None:
        return (self.body or {}).get("error", {}).get("code")


def call(
    base_url: str,
    method: str,
    path: str,
    body: Any = None,
    *,
    token: str | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 60,
    raw: bytes | None = None,
) -> Reply:
    """Send one request on a new connection; raises ``OSError`` if the server is gone.

    ``body`` goes as JSON; ``raw`` goes as given (malformed input, say), with
    whatever ``Content-Type`` the caller put in ``headers``."""
    url = urlsplit(base_url)
    request_id = uuid.uuid4().hex
    sent = {"X-Request-ID": request_id, "Connection": "close", **(headers or {})}
    payload = raw
    if body is not None:
        payload = json.dumps(body).encode()
        sent["Content-Type"] = "application/json"
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        conn.request(method, path, body=payload, headers=sent)
        response = conn.getresponse()
        raw = response.read()
        reply_headers = Headers(response.getheaders())
    finally:
        conn.close()
    try:
        decoded = json.loads(raw) if raw else None
    except ValueError:
        decoded = None
    return Reply(response.status, reply_headers, decoded, request_id)


def register(base_url: str, email: str, **extra: Any) -> Reply:
    body = {"email": email, "password": STRONG_PASSWORD, "firstName": "Sam", "lastName": "Storm"}
    return call(base_url, "POST", "/api/v5/auth/register", {**body, **extra})


def token_for(base_url: str, email: str) -> str:
    reply = register(base_url, email)
    assert reply.status == 201, reply
    return reply.data["token"]


def all_sessions(base_url: str, token: str) -> list[dict]:
    """Every session of the token's tenant, following ``meta.nextCursor`` (bounded)."""
    items: list[dict] = []
    cursor = None
    for _ in range(1000):
        path = "/api/v5/sessions?limit=100" + (f"&cursor={quote(cursor)}" if cursor else "")
        reply = call(base_url, "GET", path, token=token)
        assert reply.status == 200, reply
        items.extend(reply.data)
        cursor = reply.body["meta"]["nextCursor"]
        if cursor is None:
            return items
    raise AssertionError("the session list did not end within 1000 pages")


def at_once(count: int, request: Callable[[int], Reply]) -> list[Reply]:
    """Run ``request(i)`` for i in ``range(count)`` on ``count`` threads released
    together by a barrier; the replies in order of ``i``."""
    barrier = threading.Barrier(count)

    def run(i: int) -> Reply:
        barrier.wait(timeout=60)
        return request(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))
