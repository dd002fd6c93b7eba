"""fdbstore_dump / fdbstore_load / fdbstore_check cover the files."""

from __future__ import annotations

import contextlib
import io
import json
import uuid

from django.core.management import call_command
from django.core.management.base import CommandError

from fdbstore.blobs import blob_delete
from fdbstore.connection import get_database, use_database
from files.records import ROOT_ID
from files.repositories import entries_page
from tests.files.support import Files, body_of, new_session
from tests.support.stores import open_store


def test_a_store_dump_loads_with_its_files(files, tmp_path):
    files.put("a/b.bin", bytes(range(256)) * 1000)
    files.put("c.txt", b"hello")
    dump = tmp_path / "dump.jsonl"
    call_command("fdbstore_dump", "--output", str(dump), stderr=io.StringIO())
    target = open_store(tmp_path / "target.sqlite3")
    try:
        with use_database(target):
            call_command("fdbstore_load", str(dump), stdout=io.StringIO())
            assert body_of(files.get("a/b.bin")) == bytes(range(256)) * 1000
            assert body_of(files.get("c.txt")) == b"hello"
            assert files.usage()["files"] == 2
    finally:
        target.close()


def check() -> dict:
    out = io.StringIO()
    with contextlib.suppress(CommandError):  # exit status 1 while problems remain
        call_command("fdbstore_check", "--json", stdout=out)
    return {r["name"]: r for r in json.loads(out.getvalue())["repositories"]}


def test_check_finds_a_file_whose_blob_is_gone(files):
    files.put("a.txt", b"x" * 70_000)  # two chunks
    report = check()["files"]
    assert report["ok"] and report["records"] == 1
    sid = uuid.UUID(files.sid)
    ((_name, entry),) = get_database().transact(
        lambda tr: entries_page(tr, sid, ROOT_ID, after=None, limit=1)
    )
    blob_delete(get_database(), entry.blob)
    report = check()["files"]
    assert not report["ok"] and len(report["missing"]) == 1


def test_a_tenant_dump_carries_its_files_and_no_one_elses(api, people, tmp_path):
    alice = Files(api, people.alice.auth, new_session(api, people.alice.auth))
    charlie = Files(api, people.charlie.auth, new_session(api, people.charlie.auth))
    alice.put("docs/a.bin", bytes(range(256)) * 600)
    alice.put("b.txt", b"alice")
    charlie.put("c.txt", b"charlie")
    dump = tmp_path / "alice.jsonl"
    call_command(
        "fdbstore_dump",
        "--tenant",
        str(people.alice.tenant_id),
        "--output",
        str(dump),
        stderr=io.StringIO(),
    )
    target = open_store(tmp_path / "target.sqlite3")
    try:
        with use_database(target):
            call_command("fdbstore_load", str(dump), stdout=io.StringIO())
            assert body_of(alice.get("docs/a.bin")) == bytes(range(256)) * 600
            assert body_of(alice.get("b.txt")) == b"alice"
            assert alice.usage()["files"] == 2
            assert charlie.get("c.txt").status_code == 404  # not in the dump
            assert not check()["files"]["missing"]
    finally:
        target.close()
