"""``createtenant``, ``listtenants``, ``addmember``, ``removemember``."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from tests.support.api import register, token_of
from tests.support.commands import run, run_json
from tests.support.orgs import V5, ok, switch


@pytest.fixture
def users(api):
    for email, first in (("alice@example.com", "Alice"), ("bob@example.com", "Bob")):
        token_of(register(api, email, first_name=first))


def test_createtenant_then_addmember_then_listtenants(api, users):
    tenant = run_json("createtenant", "Acme", "--owner", "Alice@Example.com")
    assert tenant["kind"] == "organization" and tenant["role"] == "owner"
    added = run_json("addmember", tenant["id"], "bob@example.com", "--role", "admin")
    assert added["role"] == "admin"
    listed = run_json("listtenants", "--user", "bob@example.com")
    assert {t["kind"]: t.get("role") for t in listed["tenants"]} == {
        "personal": "owner",
        "organization": "admin",
    }
    everything = run_json("listtenants", "--limit", "2")
    assert len(everything["tenants"]) == 2 and everything["nextCursor"]
    rest = run_json("listtenants", "--cursor", everything["nextCursor"])
    assert len(rest["tenants"]) == 1 and rest["nextCursor"] is None
    out, _ = run("listtenants")
    assert "Acme" in out and "(last page)" in out


def test_removemember_takes_effect_on_the_next_request(api, users):
    tenant = run_json("createtenant", "Acme", "--owner", "alice@example.com")
    run("addmember", tenant["id"], "bob@example.com")
    from tests.support.api import login

    bob = switch(api, token_of(login(api, "bob@example.com")), tenant["id"])
    ok(api.get(f"{V5}/sessions", HTTP_AUTHORIZATION=f"Bearer {bob}"))
    out, _ = run("removemember", tenant["id"], "bob@example.com")
    assert out.startswith("Removed bob@example.com")
    assert api.get(f"{V5}/sessions", HTTP_AUTHORIZATION=f"Bearer {bob}").status_code == 401


def test_commands_refuse_clearly(api, users):
    tenant = run_json("createtenant", "Acme", "--owner", "alice@example.com")
    cases = [
        ("removemember", tenant["id"], "alice@example.com"),  # the last owner
        ("addmember", tenant["id"], "alice@example.com"),  # already a member
        ("addmember", tenant["id"], "nobody@example.com"),
        ("createtenant", "  ", "--owner", "alice@example.com"),
        ("createtenant", "X", "--owner", "nobody@example.com"),
        ("listtenants", "--cursor", "zzz"),
    ]
    for args in cases:
        with pytest.raises(CommandError):
            run(*args)
