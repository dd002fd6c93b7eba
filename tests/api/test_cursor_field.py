"""A page cursor is never trimmed: spaces over the length limit are a 400, as the schema says."""

from __future__ import annotations

import pytest

from tests.support.api import bearer, register, token_of


@pytest.mark.parametrize("path", ["/api/v5/sessions", "/api/v5/tenants"])
def test_it_refuses_a_cursor_of_spaces_longer_than_the_limit(api, path):
    token = token_of(register(api))
    response = api.get(path, {"cursor": " " * 513}, **bearer(token))
    assert response.status_code == 400
    assert "cursor" in response.json()["error"]["details"]


@pytest.mark.parametrize("path", ["/api/v5/sessions", "/api/v5/tenants"])
def test_an_empty_cursor_is_the_first_page(api, path):
    token = token_of(register(api))
    response = api.get(path, {"cursor": ""}, **bearer(token))
    assert response.status_code == 200
