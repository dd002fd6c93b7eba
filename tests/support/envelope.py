"""What every rejected request must look like on the wire."""

from __future__ import annotations

import json

ERROR_KEYS = {"code", "message", "details"}


def assert_error_envelope(response, status: int | None = None) -> dict:
    """Assert a clear 4xx JSON envelope (``status`` if given); return its ``error``.

    ``{"success": false, "error": {"code", "message", "details"?}}`` and nothing
    else: a non-empty machine code and message, ``details`` an object when present."""
    label = f"{response.status_code} {response.content[:300]!r}"
    if status is None:
        assert 400 <= response.status_code < 500, label
    else:
        assert response.status_code == status, label
    assert response["Content-Type"].startswith("application/json"), label
    body = json.loads(response.content)
    assert set(body) == {"success", "error"} and body["success"] is False, label
    error = body["error"]
    assert set(error) <= ERROR_KEYS and {"code", "message"} <= set(error), label
    assert isinstance(error["code"], str) and error["code"], label
    assert isinstance(error["message"], str) and error["message"], label
    assert isinstance(error.get("details", {}), dict), label
    return error
