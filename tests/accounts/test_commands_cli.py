"""Every operator command as an operator runs it: ``python manage.py ...`` in a process.

Exit status 0 with parseable ``--json`` on success; on bad input or an
unusable store, a non-zero status and one ``CommandError:`` (or argparse
usage) line on stderr, never a traceback. The runs start together, each on
its own copy of one small store: they are slow one by one.
"""

from __future__ import annotations

import json
import shutil

import pytest
from django.test import override_settings

from accounts.records import Principal
from accounts.services import user_create
from fdbstore.connection import use_database
from sessions_api.services import session_create
from tenancy.records import self_tenant_id
from tests.support.commands import finish, start_manage
from tests.support.stores import open_store

ALICE = "alice@example.com"
NEW_PASSWORD = "a brand new passphrase"
NOINPUT = ["--noinput", "--email", "dana@example.com", "--first-name", "D", "--last-name", "Doe"]

# name: (arguments, extra environment, standard input, expected exit status, expected text)
CASES = {
    "changepassword --help is ours": (
        ["changepassword", "--help"], {}, None, 0, "every token issued to them until now"),
    "changepassword --stdin": (
        ["changepassword", ALICE, "--stdin", "--json"], {}, f"{NEW_PASSWORD}\n", 0,
        '"tokensRevoked"'),
    "changepassword unknown email": (
        ["changepassword", "nobody@example.com", "--stdin"], {}, "x\n", 1, "No user with email"),
    "createuser --noinput": (
        ["createuser", *NOINPUT, "--json"], {"CODITECT_PASSWORD": NEW_PASSWORD}, None, 0, '"user"'),
    "createuser without a password": (
        ["createuser", *NOINPUT], {}, None, 1, "CODITECT_PASSWORD"),
    "createuser prompts without a terminal": (
        ["createuser"], {}, "", 1, "not a terminal"),
    "deleteuser --yes": (
        ["deleteuser", ALICE, "--yes", "--json"], {}, None, 0, '"sessions": 1'),
    "deleteuser without a terminal": (
        ["deleteuser", ALICE], {}, "yes\n", 1, "pass --yes"),
    "listusers": (["listusers", "--json"], {}, None, 0, ALICE),
    "listusers bad limit": (["listusers", "--limit", "0"], {}, None, 2, "whole number"),
    "listsessions": (["listsessions", "--email", ALICE, "--json"], {}, None, 0, '"sessions"'),
    "listsessions malformed uuid": (
        ["listsessions", "--tenant", "nope"], {}, None, 2, "is not a UUID"),
    "listsessions unknown tenant": (
        ["listsessions", "--tenant", "5b61b272-c1f3-5b78-bf59-1dacfed72d92"], {}, None, 1,
        "No tenant"),
    "revoke_tokens": (["revoke_tokens", "--user", ALICE, "--json"], {}, None, 0, '"floorMs"'),
    "purge_expired": (["purge_expired", "--dry-run", "--json"], {}, None, 0, '"dryRun": true'),
    "seed_demo with DEBUG off": (["seed_demo"], {}, None, 1, "DEBUG is off"),
    "seed_demo with DEBUG on": (
        ["seed_demo", "--json"], {"DEBUG": "true"}, None, 0, '"userCreated": true'),
    "unusable store: a directory": (
        ["listusers"], {"FDBSTORE_PATH": "{tmp}"}, None, 1, "is not a readable, writable file"),
    "unusable store: not sqlite": (
        ["deleteuser", ALICE, "--yes"], {"FDBSTORE_PATH": "{tmp}/notes.txt"}, None, 1,
        "file is not a database"),
}  # fmt: skip


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A store with Alice, her tenant and one session, closed so it can be copied."""
    path = tmp_path_factory.mktemp("template") / "store.sqlite3"
    db = open_store(path)
    fast = ["tests.support.hashers.FastArgon2PasswordHasher"]
    with use_database(db), override_settings(PASSWORD_HASHERS=fast):
        user = user_create(
            email=ALICE, password=NEW_PASSWORD[::-1], first_name="Alice", last_name="Archer"
        )
        session_create(
            principal=Principal(
                user_id=user.id,
                tenant_id=self_tenant_id(user.id),
                email=ALICE,
                jti="x",
                issued_at=0,
                expires_at=0,
            ),
            name="s",
        )
    db.close()
    return path


@pytest.fixture(scope="module")
def runs(template, tmp_path_factory):
    started = {}
    for case, (args, extra, stdin, _status, _text) in CASES.items():
        tmp = tmp_path_factory.mktemp("operator")
        (tmp / "notes.txt").write_text("these are notes, not a database\n" * 20)
        for file in template.parent.iterdir():
            shutil.copy(file, tmp / file.name)
        env = {
            "DJANGO_SETTINGS_MODULE": "config.settings",  # tests.settings forces DEBUG off
            "SKIP_DOTENV": "1",
            "DEBUG": "false",
            "FDBSTORE_BACKEND": "embedded",
            "FDBSTORE_PATH": str(tmp / "store.sqlite3"),
            "FDBSTORE_SYNCHRONOUS": "NORMAL",
            "CODITECT_PASSWORD": "",
            **{name: value.format(tmp=tmp) for name, value in extra.items()},
        }
        started[case] = start_manage(*args, env=env, stdin=stdin or "")
    return {case: finish(process) for case, process in started.items()}


@pytest.mark.parametrize("case", list(CASES))
def test_manage_py(runs, case):
    status, out, err = runs[case]
    _args, _extra, _stdin, expected_status, text = CASES[case]
    assert status == expected_status, (out, err)
    assert "Traceback" not in err
    assert text in (out if status == 0 else err), (out, err)
    if status:
        lines = [line for line in err.splitlines() if line.strip()]
        # One line saying what is wrong (argparse adds its usage lines before it).
        assert len([line for line in lines if not line.startswith(("usage:", " "))]) == 1, lines
        assert out == ""
    elif "--json" in _args:
        json.loads(out)
