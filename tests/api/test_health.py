"""GET /api/v5/health."""

from __future__ import annotations

from fdbstore.errors import TRANSACTION_TIMED_OUT, FDBError, StoreUnavailable
from tests.support.api import error_of


def test_it_reports_the_backend_and_a_real_round_trip(api):
    response = api.get("/api/v5/health")
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["status"] == "ok"
    assert data["backend"] == "embedded"
    assert data["layoutVersion"] == 1
    assert data["roundTripMs"] >= 0


def test_it_needs_no_token_and_ignores_a_bad_one(api):
    assert api.get("/api/v5/health", HTTP_AUTHORIZATION="Bearer junk").status_code == 200


def test_it_is_503_in_the_envelope_when_the_store_cannot_be_reached(api, monkeypatch):
    for error in (StoreUnavailable("cannot open"), FDBError(TRANSACTION_TIMED_OUT)):

        def unreachable(error=error):
            raise error

        monkeypatch.setattr("config.api.health.get_database", unreachable)
        response = api.get("/api/v5/health")
        assert response.status_code == 503
        assert error_of(response)["code"] == "store_unavailable"
        assert error_of(response)["details"] == {"backend": "embedded"}
