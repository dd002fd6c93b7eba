"""One log line per request, with a request id echoed back and the caller's tenant."""

from __future__ import annotations

import json
import multiprocessing
import re

import jwt
import pytest
from django.test import Client

from config.middleware import new_request_id
from tests.config.urls import TENANT

pytestmark = pytest.mark.urls("tests.config.urls")


def request_lines(captured):
    return captured.named("coditect.request")


def test_it_logs_one_line_with_the_fields(store, captured_logs):
    response = Client().get("/api/v5/health?token=abc-in-the-query")
    lines = request_lines(captured_logs)
    assert len(lines) == 1
    entry = json.loads(captured_logs.json().splitlines()[-1])
    assert entry["logger"] == "coditect.request"
    assert entry["method"] == "GET"
    assert entry["path"] == "/api/v5/health"  # never the query string
    assert entry["status"] == response.status_code
    assert isinstance(entry["duration_ms"], float)
    assert entry["request_id"] == response["X-Request-ID"]
    assert entry["tenant_id"] is None
    assert "abc-in-the-query" not in captured_logs.raw()


def test_it_echoes_the_callers_request_id(store, captured_logs):
    response = Client().get("/api/v5/health", HTTP_X_REQUEST_ID="lb-7f3a:42")
    assert response["X-Request-ID"] == "lb-7f3a:42"
    assert request_lines(captured_logs)[0].request_id == "lb-7f3a:42"


@pytest.mark.parametrize("unsafe", ["", "has space", "x" * 129, "new\\nline", "<script>"])
def test_it_replaces_an_unsafe_request_id(store, unsafe):
    response = Client().get("/api/v5/health", HTTP_X_REQUEST_ID=unsafe)
    assert response["X-Request-ID"] != unsafe
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])  # a fresh id


def test_fresh_ids_differ_across_forked_workers():
    # Server workers are forked from one master: each must draw its own ids.
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    children = [context.Process(target=_ids_in_a_child, args=(queue, 100)) for _ in range(2)]
    for child in children:
        child.start()
    ids = queue.get(timeout=30) + queue.get(timeout=30) + [new_request_id() for _ in range(100)]
    for child in children:
        child.join(timeout=30)
    assert len(set(ids)) == len(ids) == 300


def _ids_in_a_child(queue, count: int) -> None:
    queue.put([new_request_id() for _ in range(count)])


def test_every_response_gets_an_id_even_an_error(captured_logs):
    response = Client().get("/not-an-api-path")
    assert response.status_code == 404
    assert len(response["X-Request-ID"]) == 32


def test_it_logs_the_tenant_set_by_authentication(captured_logs):
    Client().get("/_test/as-tenant")
    assert request_lines(captured_logs)[0].tenant_id == str(TENANT)


def test_a_server_error_is_logged_at_error_level(captured_logs):
    Client(raise_request_exception=False).get("/_test/boom")
    line = request_lines(captured_logs)[0]
    assert line.status == 500
    assert line.levelname == "ERROR"


def test_it_logs_the_tenant_of_a_token_authenticated_request(store, captured_logs):
    client = Client()
    body = {"email": "tenant-log@example.com", "password": "Correct-horse-battery-9"}
    registered = client.post(
        "/api/v5/auth/register",
        {**body, "firstName": "Ten", "lastName": "Ant"},
        content_type="application/json",
    )
    assert registered.status_code == 201, registered.content
    token = registered.json()["data"]["token"]
    tenant = jwt.decode(token, options={"verify_signature": False})["tenant_id"]
    client.get("/api/v5/sessions", HTTP_AUTHORIZATION=f"Bearer {token}")
    register_line, sessions_line = request_lines(captured_logs)
    assert register_line.tenant_id is None  # no principal on an anonymous request
    assert sessions_line.tenant_id == tenant
