"""fdbstore_dump and fdbstore_load: exact round trips, tenant scope, bad input changes nothing."""

from __future__ import annotations

import base64
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from fdb import tuple as fdbtuple

from fdbstore import load as load_module
from fdbstore import scan
from fdbstore.connection import use_database
from fdbstore.dumpfile import entry_line
from fdbstore.keys import LAYOUT_VERSION, keyspace
from tests.fdbstore.dataset import ACME, BOB, OTHER, data_pairs, plant
from tests.fdbstore.widgets import RecordingDatabase
from tests.support.stores import open_store


@pytest.fixture
def source(tmp_path):
    db = open_store(tmp_path / "source.sqlite3")
    yield db
    db.close()


@pytest.fixture
def target(tmp_path):
    db = open_store(tmp_path / "target.sqlite3")
    yield db
    db.close()


def dump(db, *args) -> str:
    out = io.StringIO()
    with use_database(db):
        call_command("fdbstore_dump", *args, stdout=out)
    return out.getvalue()


def load(db, text: str, *args) -> str:
    out = io.StringIO()
    with use_database(db):
        call_command("fdbstore_load", "-", *args, stdin=io.BytesIO(text.encode()), stdout=out)
    return out.getvalue()


def lines(text):
    return [json.loads(line) for line in text.splitlines()]


# -- round trips ----------------------------------------------------------------------
def test_dump_load_dump_is_byte_identical(source, target):
    plant(source)
    first = dump(source)
    load(target, first)
    assert dump(target) == first
    assert data_pairs(target) == data_pairs(source)


def test_a_dump_is_a_header_sorted_entries_and_an_end_line(source):
    data = plant(source)
    parsed = lines(dump(source))
    assert parsed[0] == {
        "format": "fdbstore-dump",
        "version": 1,
        "layout": LAYOUT_VERSION,
        "root": "coditect",
        "scope": "store",
    }
    assert parsed[-1] == {"end": "fdbstore-dump", "keys": len(data.all_keys)}
    keys = [base64.b64decode(entry["key"]) for entry in parsed[1:-1]]
    assert keys == sorted(keys)
    root = keyspace().root.key()
    assert {root + key for key in keys} == data.all_keys  # no layout header, nothing else
    first = parsed[1]
    assert first["tuple"] == repr(fdbtuple.unpack(keys[0]))


def test_the_same_store_always_dumps_to_the_same_bytes(source):
    plant(source)
    assert dump(source) == dump(source)


def test_dump_to_a_file_equals_dump_to_stdout(source, tmp_path):
    plant(source)
    path = tmp_path / "out.jsonl"
    err = io.StringIO()
    with use_database(source):
        call_command("fdbstore_dump", "--output", str(path), stderr=err)
    assert path.read_text() == dump(source)
    assert "Dumped 25 keys" in err.getvalue()
    assert "\r" not in err.getvalue()  # no progress bar off a terminal


def test_load_reads_a_file_argument(source, target, tmp_path):
    plant(source)
    path = tmp_path / "dump.jsonl"
    path.write_text(dump(source))
    out = io.StringIO()
    with use_database(target):
        call_command("fdbstore_load", str(path), stdout=out)
    assert "Loaded 25 keys" in out.getvalue()
    assert data_pairs(target) == data_pairs(source)


def test_a_dump_loads_under_another_root(source, target):
    plant(source)
    text = dump(source)
    with override_settings(FDBSTORE={"ROOT": "staging"}):
        message = load(target, text)
        assert "taken under root 'coditect'" in message
        assert dump(target) == text.replace('"root":"coditect"', '"root":"staging"')
    assert len(data_pairs(target)) == 0  # nothing under the default root


# -- one tenant -----------------------------------------------------------------------
def test_a_tenant_dump_holds_exactly_that_tenants_keys(source):
    data = plant(source)
    parsed = lines(dump(source, "--tenant", str(ACME)))
    assert parsed[0]["scope"] == "tenant" and parsed[0]["tenant"] == str(ACME)
    root = keyspace().root.key()
    keys = [root + base64.b64decode(entry["key"]) for entry in parsed[1:-1]]
    assert set(keys) == data.acme_keys and len(keys) == len(data.acme_keys)
    assert keys == sorted(keys)
    assert keyspace().membership(BOB, OTHER) not in keys  # Bob's other tenant stays out


def test_a_tenant_dump_loads_only_that_tenant(source, target):
    data = plant(source)
    text = dump(source, "--tenant", str(ACME))
    load(target, text)
    loaded = data_pairs(target)
    assert set(loaded) == data.acme_keys
    assert all(loaded[key] == value for key, value in data_pairs(source).items() if key in loaded)
    assert dump(target, "--tenant", str(ACME)) == text


def test_a_second_tenant_loads_beside_the_first_sharing_no_keys(source, target):
    plant(source)
    load(target, dump(source, "--tenant", str(OTHER)))
    # Bob is a member of both tenants: his user record is already there.
    with pytest.raises(CommandError, match="would overwrite existing values"):
        load(target, dump(source, "--tenant", str(ACME)))
    load(target, dump(source, "--tenant", str(ACME)), "--force")
    assert dump(target, "--tenant", str(ACME)) == dump(source, "--tenant", str(ACME))


def test_dumping_an_unknown_tenant_is_an_error(source):
    plant(source)
    with pytest.raises(CommandError, match="does not exist"):
        dump(source, "--tenant", "00000000-0000-4000-8000-000000000000")


def test_a_bad_tenant_id_is_an_error(source):
    with pytest.raises(CommandError, match="invalid UUID"):
        dump(source, "--tenant", "not-a-uuid")


# -- refusing to overwrite ----------------------------------------------------------------
def test_load_refuses_a_non_empty_target_and_says_what_it_would_overwrite(source, target):
    plant(source)
    text = dump(source)
    plant(target)
    before = data_pairs(target)
    with pytest.raises(CommandError) as caught:
        load(target, text)
    message = str(caught.value)
    assert "users" in message and "25 of the dump's 25 keys" in message
    assert "--force" in message and "\n" not in message
    assert data_pairs(target) == before


def test_force_overwrites_the_dumps_keys_and_leaves_other_keys(source, target):
    plant(source)
    text = dump(source)
    extra = keyspace().user_token_floor(OTHER)
    target.transact(lambda tr: tr.set(extra, b"kept"))
    target.transact(lambda tr: tr.set(keyspace().tenant(ACME), b"stale"))
    message = load(target, text, "--force")
    assert "Overwrote 1" in message
    pairs = data_pairs(target)
    assert pairs.pop(extra) == b"kept"
    assert pairs == data_pairs(source)


def test_dry_run_validates_and_writes_nothing(source, target):
    plant(source)
    message = load(target, dump(source), "--dry-run")
    assert message.startswith("Would load 25 keys")
    assert data_pairs(target) == {}


# -- bad input changes nothing ----------------------------------------------------------------
def corrupt_cases(text):
    rows = text.splitlines(keepends=True)
    header, body, end = rows[0], rows[1:-1], rows[-1]
    h = json.loads(header)
    bad_entry = json.loads(body[3])
    meta_key = keyspace().layout_version()[len(keyspace().root.key()) :]
    huge = base64.b64encode(b"v" * 100_001).decode()
    return {
        "empty file": "",
        "not a dump": "hello\n",
        "truncated mid-line": text[: len(text) - len(end) - 7],
        "truncated at a line boundary": "".join([header, *body]),
        "a line lost": "".join([header, *body[:-1], end]),
        "newer format": "".join([json.dumps({**h, "version": 2}) + "\n", *body, end]),
        "newer layout": "".join(
            [json.dumps({**h, "layout": LAYOUT_VERSION + 1}) + "\n", *body, end]
        ),
        "bad base64": "".join(
            [header, *body[:-1], json.dumps({**bad_entry, "value": "@@@"}) + "\n", end]
        ),
        "edited readable key": "".join(
            [header, *body[:-1], json.dumps({**bad_entry, "tuple": "('users', 1)"}) + "\n", end]
        ),
        "duplicate key": "".join([header, *body, body[-1], end.replace('"keys":25', '"keys":26')]),
        "out of order": "".join([header, body[1], body[0], *body[2:], end]),
        "the layout header": "".join([header, entry_line(meta_key, b"x"), *body[1:], end]),
        "content after the end": "".join([header, *body, end, body[0]]),
        "value too large": "".join(
            [header, *body[:-1], json.dumps({**json.loads(body[-1]), "value": huge}) + "\n", end]
        ),
    }


def test_every_corruption_is_refused_and_the_target_is_unchanged(source, target, monkeypatch):
    plant(source)
    text = dump(source)
    # Small batches: a load that wrote before validating would leave keys behind.
    monkeypatch.setattr(load_module, "BATCH_KEYS", 2)
    for name, bad in corrupt_cases(text).items():
        with pytest.raises(CommandError) as caught:
            load(target, bad)
        assert "\n" not in str(caught.value), name
        assert str(caught.value).endswith("nothing was written"), name
        assert data_pairs(target) == {}, name
    load(target, text)  # and the intact dump still loads
    assert data_pairs(target) == data_pairs(source)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("empty file", "not an fdbstore dump"),
        ("truncated mid-line", "not a JSON object"),
        ("truncated at a line boundary", "truncated"),
        ("a line lost", "counts 25 keys but the dump holds 24"),
        ("newer format", "format version 2"),
        ("newer layout", f"key layout {LAYOUT_VERSION + 1}"),
        ("bad base64", "not valid base64"),
        ("edited readable key", "'tuple' does not match 'key'"),
        ("duplicate key", "strictly ascending"),
        ("the layout header", "is not part of the store's data spaces"),
        ("content after the end", "after the end line"),
        ("value too large", "value longer than 100000 bytes"),
    ],
)
def test_each_corruption_is_named_with_its_line(source, target, case, message):
    plant(source)
    with pytest.raises(CommandError, match=message):
        load(target, corrupt_cases(dump(source))[case])


def test_a_tenant_dump_carrying_another_tenants_key_is_refused(source, target):
    plant(source)
    acme = dump(source, "--tenant", str(ACME)).splitlines(keepends=True)
    foreign = keyspace().tenant(OTHER)[len(keyspace().root.key()) :]
    rows = [*acme[:-1], entry_line(foreign, b"{}")]
    rows = [rows[0], *sorted(rows[1:], key=lambda r: base64.b64decode(json.loads(r)["key"]))]
    bad = "".join([*rows, acme[-1].replace('"keys":13', '"keys":14')])
    with pytest.raises(CommandError, match=f"not part of tenant {ACME}"):
        load(target, bad)
    assert data_pairs(target) == {}


# -- bounded work -----------------------------------------------------------------------
def test_load_writes_in_bounded_batches_one_transaction_each(source, target, monkeypatch):
    plant(source)
    text = dump(source)
    monkeypatch.setattr(load_module, "BATCH_KEYS", 4)
    spy = RecordingDatabase(target)
    load(spy, text)
    writes = [[op for op in t if op[0] == "set"] for t in spy.transactions]
    writes = [w for w in writes if w]
    assert [len(w) for w in writes] == [4, 4, 4, 4, 4, 4, 1]
    # A write transaction only writes: blind sets, nothing to conflict, safe to retry.
    written = [t for t in spy.transactions if any(op[0] == "set" for op in t)]
    assert all(op[0] == "set" for t in written for op in t)


def test_load_batches_are_bounded_by_bytes_too(source, target, monkeypatch):
    plant(source)
    monkeypatch.setattr(load_module, "BATCH_BYTES", 200)
    spy = RecordingDatabase(target)
    load(spy, dump(source))
    batches = [t for t in spy.transactions if any(op[0] == "set" for op in t)]
    assert len(batches) > 3
    assert data_pairs(target) == data_pairs(source)


def test_dump_reads_in_bounded_snapshot_batches(source, monkeypatch):
    plant(source)
    monkeypatch.setattr(scan, "BATCH", 2)
    spy = RecordingDatabase(source)
    text = dump(spy)
    assert text == dump(source)  # batch size changes nothing in the output
    reads = [op for t in spy.transactions for op in t]
    assert all(op[0].startswith("snapshot.") or op[0] == "get" for op in reads)
    assert all(op[1] <= 2 for op in reads if op[0].endswith("get_range"))


# -- with the application's own records --------------------------------------------------
def test_a_tenant_made_by_the_services_dumps_loads_and_checks_clean(source, target):
    from accounts.records import Principal
    from accounts.services import user_register
    from sessions_api.services import session_create
    from tenancy.records import self_tenant_id

    def register(name):
        return user_register(
            email=f"{name}@example.com",
            password="Kq7-vRm2-pLx9-zT4w",
            first_name=name.title(),
            last_name="Example",
        ).account.user

    with use_database(source):
        alice, bob = register("alice"), register("bob")
        for user, count in ((alice, 3), (bob, 1)):
            principal = Principal(
                user_id=user.id,
                tenant_id=self_tenant_id(user.id),
                email=user.email,
                jti="test",
                issued_at=0,
                expires_at=0,
            )
            for i in range(count):
                session_create(principal=principal, name=f"{user.first_name} {i}")
    text = dump(source, "--tenant", str(self_tenant_id(alice.id)))
    load(target, text)
    out = io.StringIO()
    with use_database(target):
        call_command("fdbstore_check", stdout=out)  # raises CommandError on any problem
    report = out.getvalue()
    assert "accounts.users: 1 records, 0 orphans, 0 missing" in report
    assert "sessions_api.sessions: 3 records, 0 orphans, 0 missing" in report
    assert "tenancy.memberships: 1 records" in report and "tenancy.tenants: 1 records" in report
    assert dump(target, "--tenant", str(self_tenant_id(alice.id))) == text
