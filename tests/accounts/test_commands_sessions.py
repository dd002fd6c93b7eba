"""``listsessions --tenant UUID | --email EMAIL`` (the command lives in sessions_api)."""

from __future__ import annotations

import uuid

import pytest
from django.core.management.base import CommandError

from tests.support.commands import run, run_json


@pytest.fixture
def alice_sessions(api, people) -> list[str]:
    """Five sessions in Alice's tenant, oldest first; Charlie has one of his own."""
    ids = [
        api.post("/api/v5/sessions", {"name": f"s{i}"}, format="json", **people.alice.auth).json()[
            "data"
        ]["id"]
        for i in range(5)
    ]
    api.post("/api/v5/sessions", {"name": "charlie's"}, format="json", **people.charlie.auth)
    return ids


def test_listsessions_by_tenant_and_by_email_agree_newest_first(people, alice_sessions):
    by_tenant = run_json("listsessions", "--tenant", str(people.alice.tenant_id))
    by_email = run_json("listsessions", "--email", "Alice@Example.com")
    assert by_tenant == by_email
    assert by_tenant["tenantId"] == str(people.alice.tenant_id)
    assert [s["id"] for s in by_tenant["sessions"]] == alice_sessions[::-1]
    assert set(by_tenant["sessions"][0]) == {
        "id", "tenantId", "userId", "name", "workspacePath", "createdAt", "updatedAt"
    }  # fmt: skip


def test_listsessions_pages_with_the_printed_cursor(people, alice_sessions):
    seen, cursor = [], None
    while True:
        extra = ["--cursor", cursor] if cursor else []
        page = run_json("listsessions", "--email", "alice@example.com", "--limit", "2", *extra)
        seen += [s["id"] for s in page["sessions"]]
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert seen == alice_sessions[::-1]


def test_listsessions_table(people, alice_sessions):
    out, _ = run("listsessions", "--tenant", str(people.alice.tenant_id), "--limit", "2")
    lines = out.splitlines()
    assert lines[0].split() == ["id", "created", "name", "workspacePath"]
    assert lines[1].startswith(alice_sessions[-1]) and lines[3].startswith("Next cursor: ")
    out, _ = run("listsessions", "--tenant", str(people.bob.tenant_id))  # Bob acts in Alice's
    assert out.splitlines()[-1] == "(last page)"


def test_listsessions_of_an_empty_tenant(api, people):
    out, _ = run("listsessions", "--email", "bob@example.com")
    bob_own = run_json("listusers")["users"][1]["tenantId"]
    assert out == f"No sessions in tenant {bob_own}.\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tenant", "nope"], "argument --tenant: 'nope' is not a UUID"),
        (["--tenant", str(uuid.uuid4())], "No tenant with id"),
        (["--email", "nobody@example.com"], "No user with email"),
        (["--email", "alice@example.com", "--cursor", "AAAA"], "cursor: This cursor is not valid"),
        (["--email", "alice@example.com", "--limit", "0"], "not a whole number"),
        ([], "one of the arguments --tenant --email is required"),
        (["--tenant", str(uuid.uuid4()), "--email", "a@b.c"], "not allowed with argument"),
    ],
    ids=["malformed uuid", "unknown tenant", "unknown email", "bad cursor", "bad limit",
         "neither", "both"],
)  # fmt: skip
def test_listsessions_refuses_bad_input(api, people, args, message):
    with pytest.raises(CommandError, match=message) as caught:
        run("listsessions", *args)
    assert "\n" not in str(caught.value)
