"""Small helpers for driving the API through DRF's test client."""

from __future__ import annotations

from rest_framework.test import APIClient

STRONG_PASSWORD = "correct horse battery staple"


def register(
    client: APIClient,
    email: str = "alice@example.com",
    *,
    password: str = STRONG_PASSWORD,
    first_name: str = "Alice",
    last_name: str = "Archer",
    **extra,
):
    body = {"email": email, "password": password, "firstName": first_name, "lastName": last_name}
    return client.post("/api/v5/auth/register", {**body, **extra}, format="json")


def login(client: APIClient, email: str = "alice@example.com", password: str = STRONG_PASSWORD):
    return client.post("/api/v5/auth/login", {"email": email, "password": password}, format="json")


def token_of(response) -> str:
    assert response.status_code in (200, 201), response.content
    return response.json()["data"]["token"]


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def error_of(response) -> dict:
    body = response.json()
    assert body["success"] is False, body
    return body["error"]
