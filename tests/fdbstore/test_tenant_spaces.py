"""The tenant-scope registry (``fdbstore.scopes.register_tenant_space``): several apps
may register one space; the scope merges their readers in key order and accepts a key
any of them accepts. fdbstore itself knows no higher app's records (accounts' avatars
are registered by accounts)."""

from __future__ import annotations

import inspect
import uuid

import pytest

from fdbstore import scopes
from fdbstore.backends.memory import MemoryDatabase
from fdbstore.keys import keyspace
from fdbstore.transaction import KeyValue


@pytest.fixture
def registry(monkeypatch):
    saved: dict = {}
    monkeypatch.setattr(scopes, "_tenant_spaces", saved)
    return saved


def _pairs(*ids: uuid.UUID):
    ks = keyspace()
    return [KeyValue(ks.blob_chunks.pack((b, 0)), b.bytes) for b in sorted(ids)]


def test_two_readers_of_one_space_are_merged_in_key_order(registry):
    db = MemoryDatabase()
    tenant = uuid.uuid4()
    ids = sorted(uuid.uuid4() for _ in range(6))
    first, second = ids[0::2], ids[1::2]
    scopes.register_tenant_space("blob_chunks", lambda *a: iter(_pairs(*first)), lambda r, t: False)
    scopes.register_tenant_space("blob_chunks", lambda *a: iter(_pairs(*second)), lambda r, t: True)
    rows = [
        row for row in scopes.TenantScope(tenant).pairs(db) if row.value in {b.bytes for b in ids}
    ]
    assert rows == _pairs(*ids)
    # one reader accepting is enough
    assert scopes.TenantScope(tenant).accepts(("blob_chunks", ids[0], 0))


def test_registering_the_same_reader_again_does_not_dump_it_twice(registry):
    db = MemoryDatabase()
    blob = uuid.uuid4()

    def reader(*args):
        return iter(_pairs(blob))

    scopes.register_tenant_space("blob_chunks", reader, lambda r, t: True)
    scopes.register_tenant_space("blob_chunks", reader, lambda r, t: True)
    rows = [row for row in scopes.TenantScope(uuid.uuid4()).pairs(db) if row.value == blob.bytes]
    assert rows == _pairs(blob)


def test_without_registrations_a_tenant_scope_takes_no_avatar_or_blob_key(registry):
    scope = scopes.TenantScope(uuid.uuid4())
    assert not scope.accepts(("avatars", uuid.uuid4()))
    assert not scope.accepts(("blob_chunks", uuid.uuid4(), 0))


def test_fdbstore_scopes_knows_no_accounts_record():
    source = inspect.getsource(scopes)
    assert "blob_id" not in source
    assert "ks.avatar(" not in source
    assert "json" not in source


def test_accounts_registers_its_avatar_spaces():
    from accounts import dump

    # the app registry ran AppConfig.ready() (pytest-django)
    from fdbstore.scopes import _tenant_spaces

    assert dump.avatar_records in _tenant_spaces["avatars"]
    assert dump.avatar_chunks in _tenant_spaces["blob_chunks"]
