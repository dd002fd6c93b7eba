"""Deleting an organisation clears its files' usage counters (``tenancy/hooks.py``), and
draining its deleted sessions' trees afterwards does not write them back."""

from __future__ import annotations

from fdbstore.connection import get_database
from fdbstore.keys import keyspace
from files import trash
from tests.files.support import Files, new_session
from tests.support.commands import run
from tests.support.orgs import org  # noqa: F401


def usage_keys(tenant_id) -> int:
    span = keyspace().file_usage.range((tenant_id,))
    return len(get_database().transact(lambda tr: tr.get_range(span.start, span.stop)))


def test_deleting_an_organisation_clears_its_usage(api, org, monkeypatch):  # noqa: F811
    files = Files(api, org.bob.auth, new_session(api, org.bob.auth))
    assert files.put("a.txt", b"abc").status_code in (200, 201)
    assert files.put("d/b.txt", b"defg").status_code in (200, 201)
    assert files.usage()["files"] == 2 and usage_keys(org.id) == 2
    own = Files(api, org.bob.own_auth, new_session(api, org.bob.own_auth))
    assert own.put("mine.txt", b"xy").status_code in (200, 201)
    monkeypatch.setattr(trash, "DRAIN_SECONDS", 0.0)  # the trees wait for purge_expired
    assert api.delete(org.url, **org.alice.own_auth).status_code == 204
    assert usage_keys(org.id) == 0
    run("purge_expired")  # drains the deleted sessions' trees: no counter comes back
    assert usage_keys(org.id) == 0
    assert count_entries() == 1  # Bob's own file only
    assert own.usage() == {**own.usage(), "files": 1, "bytes": 2}
    run("fdbstore_check")


def count_entries() -> int:
    span = keyspace().file_entries.range()
    return len(get_database().transact(lambda tr: tr.get_range(span.start, span.stop)))
