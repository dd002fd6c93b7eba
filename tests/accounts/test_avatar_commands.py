"""Avatars and the operator commands: deleteuser, fdbstore_dump/load (store and tenant),
fdbstore_check (and --repair), purge of a blob left by a crash."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.avatars import avatar_bytes, avatar_get, avatar_set
from accounts.repositories import avatars, users
from fdbstore import blobs
from fdbstore.connection import get_database, use_database
from fdbstore.keys import keyspace
from tenancy.records import self_tenant_id
from tests.support import images
from tests.support.api import register
from tests.support.stores import open_store


def _user(api, email: str) -> uuid.UUID:
    return uuid.UUID(register(api, email).json()["data"]["user"]["id"])


def _keys(db, space) -> list[bytes]:
    span = space.range()
    return [row.key for row in db.transact(lambda tr: tr.get_range(span.start, span.stop))]


def _command(db, name: str, *args, stdin: bytes | None = None) -> str:
    out = io.StringIO()
    extra = {"stdin": io.BytesIO(stdin)} if stdin is not None else {}
    with use_database(db):
        call_command(name, *args, stdout=out, **extra)
    return out.getvalue()


@pytest.fixture
def two(api):
    alice, charlie = _user(api, "alice@example.com"), _user(api, "charlie@example.com")
    avatar_set(user_id=alice, data=images.png((900, 900)), declared="image/png")
    avatar_set(user_id=charlie, data=images.jpeg(), declared="image/jpeg")
    return alice, charlie


def test_deleteuser_removes_the_avatar_record_and_its_chunks(api, store, two):
    alice, charlie = two
    charlie_avatar = avatar_get(user_id=charlie)
    _command(store, "deleteuser", "alice@example.com", "--yes")

    assert avatar_get(user_id=alice) is None
    chunks = _keys(store, keyspace().blob_chunks)
    assert chunks and all(
        keyspace().blob_chunks.unpack(key)[0] == charlie_avatar.blob_id for key in chunks
    )
    assert _keys(store, keyspace().blob_pending) == []


def test_a_whole_store_dump_carries_the_avatars_and_loads_byte_identical(api, store, two, tmp_path):
    text = _command(store, "fdbstore_dump")
    target = open_store(tmp_path / "target.sqlite3")
    try:
        _command(target, "fdbstore_load", "-", stdin=text.encode())
        assert _command(target, "fdbstore_dump") == text
        with use_database(target):
            avatar = avatar_get(user_id=two[0])
            assert avatar_bytes(avatar)[:4] == b"RIFF"
    finally:
        target.close()


def test_a_tenant_dump_holds_its_members_avatars_and_no_one_elses(api, store, two, tmp_path):
    alice, charlie = two
    text = _command(store, "fdbstore_dump", "--tenant", str(self_tenant_id(alice)))
    target = open_store(tmp_path / "target.sqlite3")
    try:
        _command(target, "fdbstore_load", "-", stdin=text.encode())
        with use_database(target):
            mine = avatar_get(user_id=alice)
            assert avatar_get(user_id=charlie) is None
            with use_database(store):
                original = avatar_bytes(avatar_get(user_id=alice))
            assert avatar_bytes(mine) == original
            assert "accounts.avatars: 1 records, 0 orphans, 0 missing" in _command(
                target, "fdbstore_check"
            )
        assert _command(target, "fdbstore_dump", "--tenant", str(self_tenant_id(alice))) == text
    finally:
        target.close()


def test_check_finds_and_repairs_a_broken_avatar_and_a_dangling_reference(api, store, two):
    alice, charlie = two
    assert "accounts.avatars: 2 records, 0 orphans, 0 missing" in _command(store, "fdbstore_check")
    lost = avatar_get(user_id=alice)
    store.transact(lambda tr: tr.clear(keyspace().blob_chunk(lost.blob_id, 0)))  # a lost chunk
    record = avatar_get(user_id=charlie)
    store.transact(lambda tr: avatars.delete(tr, record))  # a reference to nothing

    with pytest.raises(CommandError, match="2 index problem"):
        _command(store, "fdbstore_check")
    out = _command(store, "fdbstore_check", "--repair")
    assert "accounts.avatars: 1 records, 1 orphans, 1 missing, 2 repaired" in out
    assert "accounts.avatars: 0 records, 0 orphans, 0 missing" in _command(store, "fdbstore_check")
    for user_id in (alice, charlie):
        user = store.transact(lambda tr, u=user_id: users.get(tr, u))
        assert user.avatar_id is None


def test_a_blob_written_but_never_published_is_purged(api, store, frozen_clock):
    blob = blobs.blob_write(get_database(), [b"x" * 100_000])  # a crash before publishing
    frozen_clock.tick(hours=2)
    _command(store, "purge_expired")
    assert _keys(store, keyspace().blob_chunks) == []
    assert blob.size == 100_000


def test_a_failed_publish_leaves_no_chunks(api, store, monkeypatch):
    user_id = _user(api, "alice@example.com")
    gone = store.transact(lambda tr: users.get(tr, user_id))
    store.transact(lambda tr: users.delete(tr, gone))  # the user vanishes mid-upload
    with pytest.raises(Exception, match="no longer exists"):
        avatar_set(user_id=user_id, data=images.png(), declared="image/png")
    assert _keys(store, keyspace().blob_chunks) == []
    assert _keys(store, keyspace().blob_pending) == []


def test_a_tenant_dump_carries_both_avatar_and_file_chunks(api, store, two, tmp_path):
    from tests.support.api import bearer, login, token_of

    alice, _ = two
    token = token_of(login(api))
    sid = api.post("/api/v5/sessions", {"name": "s"}, format="json", **bearer(token))
    sid = sid.json()["data"]["id"]
    content = b"file bytes " * 10_000
    put = api.generic(
        "PUT", f"/api/v5/sessions/{sid}/files/a.txt", content, "text/plain", **bearer(token)
    )
    assert put.status_code == 201, put.content
    text = _command(store, "fdbstore_dump", "--tenant", str(self_tenant_id(alice)))
    target = open_store(tmp_path / "target.sqlite3")
    try:
        _command(target, "fdbstore_load", "-", stdin=text.encode())
        with use_database(target):
            assert avatar_bytes(avatar_get(user_id=alice))[:4] == b"RIFF"
            got = api.get(f"/api/v5/sessions/{sid}/files/a.txt", **bearer(token))
            assert b"".join(got.streaming_content if got.streaming else [got.content]) == content
        assert _command(target, "fdbstore_dump", "--tenant", str(self_tenant_id(alice))) == text
    finally:
        target.close()
