"""An organisation's dump carries its members, invitations and API keys, loads into
an empty store that ``fdbstore_check`` finds clean, and works there."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fdbstore.connection import use_database
from tests.support.api import bearer
from tests.support.orgs import V5, ok
from tests.support.stores import open_store


def _dump(db, tenant) -> str:
    out = io.StringIO()
    with use_database(db):
        call_command("fdbstore_dump", "--tenant", str(tenant), stdout=out)
    return out.getvalue()


def test_an_organisation_dumps_loads_checks_clean_and_its_key_works(api, org, store, tmp_path):
    invited = api.post(
        f"{org.url}/invitations",
        {"email": "erin@example.com", "role": "member"},
        format="json",
        **org.alice.auth,
    )
    ok(invited, 201)
    body = {"name": "ci", "role": "member"}
    key = ok(api.post(f"{org.url}/api-keys", body, format="json", **org.dana.auth), 201)["key"]
    ok(api.get(f"{V5}/sessions", **bearer(key)))  # a last-use time to dump too
    text = _dump(store, org.id)
    for space in ("tenant_roles", "invitations_by_code", "api_keys", "user_api_keys"):
        assert f'"{space}"' in text or space in text, space

    target = open_store(tmp_path / "target.sqlite3")
    try:
        with use_database(target):
            call_command(
                "fdbstore_load", "-", stdin=io.BytesIO(text.encode()), stdout=io.StringIO()
            )
            report = io.StringIO()
            call_command("fdbstore_check", stdout=report)
            assert "tenancy.invitations: 1 records, 0 orphans, 0 missing" in report.getvalue()
            assert "tenancy.api_keys: 1 records, 0 orphans, 0 missing" in report.getvalue()
            assert "tenancy.memberships: 3 records, 0 orphans, 0 missing" in report.getvalue()
            assert api.get(f"{V5}/sessions", **bearer(key)).status_code == 200
        assert _dump(target, org.id) == text
    finally:
        target.close()


def test_fdbstore_check_finds_and_repairs_a_missing_role_entry(api, org, store):
    from fdbstore.keys import keyspace

    key = keyspace().tenant_role(org.id, "member", org.bob.user_id)
    store.transact(lambda tr: tr.clear(key))
    with pytest.raises(CommandError):
        call_command("fdbstore_check", stdout=io.StringIO())
    call_command("fdbstore_check", "--repair", stdout=io.StringIO())
    assert store.transact(lambda tr: tr.get(key)) is not None
    call_command("fdbstore_check", stdout=io.StringIO())
