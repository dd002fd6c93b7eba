"""``purge_expired`` and ``seed_demo``."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.management.base import CommandError
from fdb import tuple as fdbtuple

from accounts.demo import DEMO_EMAIL, DEMO_PASSWORD
from accounts.services import FLOOR_KEPT
from config.api import clock
from config.api.ids import epoch_ms
from fdbstore.connection import get_database
from fdbstore.keys import keyspace
from tests.support.api import bearer, error_of, login, register, token_of
from tests.support.commands import Terminal, run, run_json


def _set(pairs: dict[bytes, bytes]) -> None:
    get_database().transact(lambda tr: tr.set_many(pairs.items()))


def _present(keys: list[bytes]) -> list[bool]:
    return [value is not None for value in get_database().transact(lambda tr: tr.get_many(keys))]


@pytest.fixture
def planted(api):
    """Expired and live entries of every kind purge_expired looks at."""
    ks, now = keyspace(), clock.now()
    now_s, now_ms = int(now.timestamp()), epoch_ms(now)
    login_window = now_s // 60 * 60  # THROTTLE_LOGIN_RATE in the tests is N/min
    expired = [
        ks.revoked_token("a" * 36),
        ks.revoked_token("b" * 36),
        ks.user_token_floor(uuid.uuid4()),
        ks.throttle_counter("login", "address:x", login_window - 60),
        ks.throttle_counter("register", "email:y", login_window - 120),
        ks.throttle_counter("gone", "address:z", now_s - 86400 * 2),  # an unknown scope: a day
    ]
    live = [
        ks.revoked_token("c" * 36),
        ks.user_token_floor(uuid.uuid4()),
        ks.throttle_counter("login", "address:x", login_window),
        ks.throttle_counter("gone", "address:z", now_s - 3600),
        ks.throttle_counter("login", "address:odd", login_window - 61),  # not on a minute: a day
    ]
    floor_old = epoch_ms(now - FLOOR_KEPT) - 1
    values = [
        fdbtuple.pack((now_s - 1,)),
        fdbtuple.pack((now_s,)),
        fdbtuple.pack((floor_old,)),
        *[(3).to_bytes(8, "little")] * 3,
        fdbtuple.pack((now_s + 3600,)),
        fdbtuple.pack((now_ms - 1000,)),
        *[(3).to_bytes(8, "little")] * 3,
    ]
    _set(dict(zip(expired + live, values, strict=True)))
    return expired, live


def test_purge_expired_clears_exactly_what_is_past(planted):
    expired, live = planted
    out, _ = run("purge_expired", "--batch-size", "2")
    assert out.splitlines() == [
        "revoked tokens:    cleared 2 of 3",
        "token floors:      cleared 1 of 2",
        "throttle counters: cleared 3 of 6",
        "dead blobs:        cleared 0 of 0",
        "invitations:       cleared 0 of 0",
        "hub tasks:         cleared 0 of 0",  # agents (issue 13)
    ]
    assert _present(expired) == [False] * len(expired)
    assert _present(live) == [True] * len(live)


def test_purge_expired_dry_run_counts_and_clears_nothing(planted):
    expired, live = planted
    data = run_json("purge_expired", "--dry-run")
    assert data == {
        "dryRun": True,
        "revokedTokens": {"scanned": 3, "purged": 2},
        "tokenFloors": {"scanned": 2, "purged": 1},
        "throttleCounters": {"scanned": 6, "purged": 3},
        "blobs": {"scanned": 0, "purged": 0},
        "invitations": {"scanned": 0, "purged": 0},
        "a2aTasks": {"scanned": 0, "purged": 0},  # agents (issue 13)
    }
    assert all(_present(expired + live))


def test_purge_expired_keeps_what_still_revokes_a_live_token(api):
    with clock.frozen(clock.now() - timedelta(seconds=10)):
        token = token_of(register(api))
        other = token_of(login(api))
    api.post("/api/v5/auth/logout", **bearer(token))
    run("purge_expired")
    assert error_of(api.get("/api/v5/auth/me", **bearer(token)))["code"] == "token_revoked"
    run("revoke_tokens", "--user", "alice@example.com")
    run("purge_expired")
    assert error_of(api.get("/api/v5/auth/me", **bearer(other)))["code"] == "token_revoked"


def test_purge_expired_leaves_undecodable_entries_alone(api):
    ks = keyspace()
    odd = [ks.revoked_token("odd"), ks.throttle.pack(("login", "no-window"))]
    _set({odd[0]: b"not a tuple", odd[1]: b"\x01"})
    assert run_json("purge_expired")["revokedTokens"] == {"scanned": 1, "purged": 0}
    assert all(_present(odd))


# -- seed_demo ---------------------------------------------------------------------
def test_seed_demo_refuses_with_debug_off(api):
    with pytest.raises(CommandError, match="DEBUG is off") as caught:
        run("seed_demo")
    assert caught.value.returncode == 1
    assert run_json("listusers")["users"] == []


def test_seed_demo_creates_the_guides_account_and_sessions_once(api, settings):
    settings.DEBUG = True
    first = run_json("seed_demo")
    assert first["userCreated"] is True and first["sessionsCreated"] == 2
    assert first["user"]["email"] == DEMO_EMAIL
    response = login(api, DEMO_EMAIL, DEMO_PASSWORD)  # "demo", which the validators refuse
    assert response.status_code == 200
    listed = api.get("/api/v5/sessions", **bearer(token_of(response))).json()["data"]
    assert sorted(s["name"] for s in listed) == ["Demo project", "Getting started"]

    again = run_json("seed_demo")
    assert again["userCreated"] is False and again["sessionsCreated"] == 0
    assert [s["id"] for s in again["sessions"]] == [s["id"] for s in first["sessions"]]


def test_seed_demo_puts_back_a_deleted_demo_session_and_keeps_a_changed_password(api, settings):
    settings.DEBUG = True
    seeded = run_json("seed_demo")
    token = token_of(login(api, DEMO_EMAIL, DEMO_PASSWORD))
    api.delete(f"/api/v5/sessions/{seeded['sessions'][0]['id']}", **bearer(token))
    run("changepassword", DEMO_EMAIL, "--stdin", stdin=Terminal("a real passphrase now"))
    out, _ = run("seed_demo")
    assert "already there, unchanged" in out and "Demo sessions: 1 created" in out
    assert login(api, DEMO_EMAIL, DEMO_PASSWORD).status_code == 401


def test_seed_demo_force_runs_with_debug_off(api):
    assert run_json("seed_demo", "--force")["userCreated"] is True


def test_the_api_still_refuses_the_demo_password_for_anyone_else(api):
    response = register(api, "someone@example.com", password=DEMO_PASSWORD)
    assert response.status_code == 400
