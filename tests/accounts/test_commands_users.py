"""``createuser``, ``deleteuser`` and ``listusers``."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.management.base import CommandError

from accounts import services
from accounts.records import Principal
from fdbstore.connection import get_database, use_database
from fdbstore.keys import keyspace
from sessions_api.repositories import sessions
from sessions_api.services import session_create
from tenancy.records import self_tenant_id
from tests.support.api import bearer, error_of, login, register, token_of
from tests.support.commands import Terminal, getpass_answers, run, run_json
from tests.support.recording import RecordingDatabase

PASSWORD = "correct horse battery staple"
NOINPUT = ["--noinput", "--email", "Dana@Example.com", "--first-name", "Dana", "--last-name", "Doe"]


# -- createuser --------------------------------------------------------------------
def test_createuser_noinput_takes_the_password_from_the_environment(api, monkeypatch):
    monkeypatch.setenv("CODITECT_PASSWORD", PASSWORD)
    data = run_json("createuser", *NOINPUT, "--company", "ACME")
    user = data["user"]
    assert user["email"] == "dana@example.com" and user["company"] == "ACME"
    assert user["tenantId"] == str(self_tenant_id(uuid.UUID(user["id"])))
    response = login(api, "dana@example.com", PASSWORD)
    assert response.json()["data"]["user"]["role"] == "owner"  # tenant and membership exist


def test_createuser_prints_one_line_for_people(api, monkeypatch):
    monkeypatch.setenv("CODITECT_PASSWORD", PASSWORD)
    out, _ = run("createuser", *NOINPUT)
    assert out.startswith("Created dana@example.com (user ") and out.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (NOINPUT[:-2], PASSWORD, "--last-name is required with --noinput"),
        (NOINPUT, None, r"set the password in \$CODITECT_PASSWORD"),
        (NOINPUT, "password", "password: This password is too common"),
        (NOINPUT, "dana@example.com", "too similar to the"),
        (
            ["--noinput", "--email", "not-an-email", "--first-name", "D", "--last-name", "D"],
            PASSWORD,
            "email: Enter a valid email address",
        ),
        ([*NOINPUT[:-1], "x" * 151], PASSWORD, "lastName: Ensure this field has no more than 150"),
    ],
    ids=[
        "missing field",
        "no password",
        "common password",
        "similar password",
        "bad email",
        "long name",
    ],
)
def test_createuser_noinput_refuses_bad_input(api, monkeypatch, args, password, message):
    if password is None:
        monkeypatch.delenv("CODITECT_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("CODITECT_PASSWORD", password)
    with pytest.raises(CommandError, match=message) as caught:
        run("createuser", *args)
    assert "\n" not in str(caught.value)
    assert run_json("listusers")["users"] == []


def test_createuser_refuses_a_taken_email_as_registration_does(api, monkeypatch):
    register(api, "dana@example.com")
    monkeypatch.setenv("CODITECT_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match=r"an account with email dana@example\.com already"):
        run("createuser", *NOINPUT)


def test_createuser_prompts_and_asks_again_after_bad_answers(api, monkeypatch):
    register(api, "taken@example.com")
    answers = Terminal("not an email", "taken@example.com", "Erin@Example.com", "Erin", "Eve", "")
    getpass_answers(
        monkeypatch, "", "one passphrase", "other one", "password", "password", PASSWORD, PASSWORD
    )
    _, err = run("createuser", stdin=answers)
    assert "Error: email: Enter a valid email address." in err
    assert "Error: an account with email taken@example.com already exists" in err
    assert "Error: Blank passwords aren't allowed." in err
    assert "Error: Your passwords didn't match." in err
    assert "Error: password: This password is too common." in err
    assert login(api, "erin@example.com", PASSWORD).status_code == 200
    (erin,) = [u for u in run_json("listusers")["users"] if u["email"] == "erin@example.com"]
    assert erin["company"] is None and erin["name"] == "Erin Eve"


def test_createuser_prompts_only_for_what_the_options_did_not_give(api, monkeypatch):
    getpass_answers(monkeypatch, PASSWORD, PASSWORD)
    run(
        "createuser",
        "--email",
        "fay@example.com",
        "--first-name",
        "Fay",
        stdin=Terminal("Fox", "Fox & Co"),
    )
    (fay,) = run_json("listusers")["users"]
    assert (fay["lastName"], fay["company"]) == ("Fox", "Fox & Co")


def test_createuser_will_not_prompt_without_a_terminal(api):
    with pytest.raises(CommandError, match="not a terminal: use --noinput"):
        run("createuser", stdin=io.StringIO("dana@example.com\n"))


def test_createuser_end_of_input_cancels(api):
    with pytest.raises(CommandError, match="Operation cancelled"):
        run("createuser", stdin=Terminal())


# -- deleteuser --------------------------------------------------------------------
def _keys_of(tenant_id: uuid.UUID, user_id: uuid.UUID, email: str) -> dict[str, list]:
    ks = keyspace()

    def read(tr):
        ranges = {
            "user": [ks.user(user_id)],
            "email": [ks.user_by_email(email)],
            "tenant": [ks.tenant(tenant_id)],
        }
        found = {name: [k for k in keys if tr.get(k) is not None] for name, keys in ranges.items()}
        for name, space in [
            ("user_tenants", ks.user_tenants.subspace((user_id,))),
            ("tenant_users", ks.tenant_users.subspace((tenant_id,))),
            ("tenant_sessions", ks.tenant_sessions.subspace((tenant_id,))),
        ]:
            found[name] = tr.get_range(space.range().start, space.range().stop)
        return found

    return get_database().transact(read)


def _session_records(tenant_id: uuid.UUID) -> int:
    space = sessions.space
    rows = get_database().transact(lambda tr: tr.get_range(space.range().start, space.range().stop))
    return sum(1 for row in rows if sessions.codec.decode(row.value).tenant_id == tenant_id)


def test_deleteuser_removes_the_user_their_tenant_its_sessions_and_memberships(api, people):
    alice, bob, charlie = people.alice, people.bob, people.charlie
    for person in (alice, bob, charlie):
        api.post("/api/v5/sessions", {"name": "s"}, format="json", **person.auth)
    assert _session_records(alice.tenant_id) == 2  # Alice's and Bob's, in Alice's tenant

    data = run_json("deleteuser", "alice@example.com", "--yes")

    assert data["deleted"]["email"] == "alice@example.com"
    assert (data["sessions"], data["memberships"], data["transactions"]) == (2, 2, 1)
    assert all(
        not found for found in _keys_of(alice.tenant_id, alice.user_id, alice.email).values()
    )
    assert _session_records(alice.tenant_id) == 0
    ks = keyspace()
    kept = get_database().transact(
        lambda tr: tr.get_many(
            [ks.membership(bob.user_id, alice.tenant_id), ks.user_token_floor(alice.user_id)]
        )
    )
    assert kept[0] is None and kept[1] is not None  # the floor stays: Alice's tokens stay void
    # Bob lost his membership of Alice's tenant, not his own account; Charlie is untouched.
    assert login(api, "bob@example.com").status_code == 200
    assert api.get("/api/v5/sessions", **charlie.auth).json()["data"][0]["name"] == "s"
    assert error_of(api.get("/api/v5/auth/me", **alice.auth))["code"] == "token_revoked"
    assert login(api, "alice@example.com").status_code == 401
    assert token_of(register(api, "alice@example.com"))  # the email is free again


def test_deleteuser_deletes_a_large_tenant_in_bounded_batches(api, store):
    user_id = uuid.UUID(register(api).json()["data"]["user"]["id"])
    principal = Principal(
        user_id=user_id,
        tenant_id=self_tenant_id(user_id),
        email="alice@example.com",
        jti="x",
        issued_at=0,
        expires_at=0,
    )
    for i in range(7):
        session_create(principal=principal, name=f"s{i}")

    recording = RecordingDatabase(store)
    with use_database(recording):
        out, _ = run("deleteuser", "alice@example.com", "--yes", "--batch-size", "3")
    assert "7 session(s), 1 membership(s), in 3 transaction(s)" in out
    session_clears = _clears_per_commit(recording.operations, keyspace().sessions.key())
    assert session_clears == [3, 3, 1]
    assert _session_records(principal.tenant_id) == 0


def _clears_per_commit(operations, prefix: bytes) -> list[int]:
    counts, current = [], 0
    for op in operations:
        if op[0] == "clear" and op[1].startswith(prefix):
            current += 1
        elif op[0] == "commit":
            if current:
                counts.append(current)
            current = 0
    return counts


def test_an_interrupted_delete_is_finished_by_running_it_again(api, monkeypatch):
    token = token_of(register(api))
    for i in range(5):
        api.post("/api/v5/sessions", {"name": f"s{i}"}, format="json", **bearer(token))
    real_step, calls = services._user_delete_step, []

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_step(*args, **kwargs)

    monkeypatch.setattr(services, "_user_delete_step", interrupted)
    with pytest.raises(CommandError, match="Operation cancelled"):
        run("deleteuser", "alice@example.com", "--yes", "--batch-size", "2")
    monkeypatch.undo()
    assert [u["email"] for u in run_json("listusers")["users"]] == ["alice@example.com"]

    data = run_json("deleteuser", "alice@example.com", "--yes", "--batch-size", "2")
    assert data["sessions"] == 3  # the ones the first run's one batch did not reach
    assert run_json("listusers")["users"] == []


def test_deleteuser_asks_first_and_stops_unless_told_yes(api):
    register(api)
    with pytest.raises(CommandError, match="Deletion cancelled"):
        run("deleteuser", "alice@example.com", stdin=Terminal("no"))
    assert len(run_json("listusers")["users"]) == 1
    _, err = run("deleteuser", "alice@example.com", stdin=Terminal("yes"))
    assert "It cannot be undone." in err
    assert run_json("listusers")["users"] == []


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["nobody@example.com", "--yes"], None, "No user with email nobody@example.com"),
        (["alice@example.com"], io.StringIO("yes\n"), "not a terminal: pass --yes"),
        (["alice@example.com", "--yes", "--batch-size", "0"], None, "not a whole number"),
    ],
    ids=["unknown email", "no terminal", "bad batch size"],
)
def test_deleteuser_refuses_bad_input(api, args, stdin, message):
    register(api)
    with pytest.raises(CommandError, match=message):
        run("deleteuser", *args, stdin=stdin)
    assert len(run_json("listusers")["users"]) == 1


# -- listusers ---------------------------------------------------------------------
def test_listusers_pages_in_email_order_with_a_cursor(api):
    emails = [f"{name}@example.com" for name in ("eve", "bob", "dan", "amy", "cat")]
    for email in emails:
        register(api, email)
    seen, cursor = [], None
    for _ in range(3):
        page = run_json("listusers", "--limit", "2", *(["--cursor", cursor] if cursor else []))
        seen += [user["email"] for user in page["users"]]
        cursor = page["nextCursor"]
        assert page["limit"] == 2
    assert seen == sorted(emails) and cursor is None


def test_listusers_table_prints_the_next_cursor(api):
    register(api, "amy@example.com", first_name="Amy")
    register(api, "bob@example.com", first_name="Bob")
    out, _ = run("listusers", "--limit", "1")
    lines = out.splitlines()
    assert lines[0].split() == ["email", "name", "company", "created", "id"]
    assert lines[1].startswith("amy@example.com  Amy Archer")
    cursor = lines[2].removeprefix("Next cursor: ")
    out, _ = run("listusers", "--limit", "1", "--cursor", cursor)
    assert out.splitlines()[1].startswith("bob@example.com") and out.endswith("(last page)\n")


def test_listusers_on_an_empty_store_and_with_a_bad_cursor(api):
    assert run("listusers")[0] == "No users.\n"
    with pytest.raises(CommandError, match="cursor: This cursor is not valid"):
        run("listusers", "--cursor", "garbage")
    with pytest.raises(CommandError, match="not a whole number 1-1000"):
        run("listusers", "--limit", "1001")
