"""What deleting sessions and users does to files, and what purge_expired clears."""

from __future__ import annotations

from datetime import timedelta

from config.api import clock
from fdbstore.blobs import blob_write
from fdbstore.connection import get_database
from fdbstore.keys import keyspace
from files import trash
from tests.files.support import Files, new_session
from tests.support.commands import run, run_json


def count(space) -> int:
    span = space.range()
    return len(get_database().transact(lambda tr: tr.get_range(span.start, span.stop)))


def test_deleting_a_big_tree_goes_in_bounded_batches_and_resumes(api, auth, files, monkeypatch):
    monkeypatch.setattr(trash, "DRAIN_BATCH", 3)
    for i in range(7):
        files.put(f"d/{i}.txt", b"x" * 10)
        files.put(f"d/sub/{i}.txt", b"y")
    monkeypatch.setattr(trash, "DRAIN_SECONDS", 0.0)  # the request clears nothing itself
    assert files.delete("d", "?recursive=true").status_code == 204
    assert files.get("d/0.txt").status_code == 404  # unlinked at once
    assert count(keyspace().file_trash) == 1
    run("purge_expired")  # finishes the job
    assert count(keyspace().file_trash) == 0
    assert count(keyspace().file_entries) == 0
    assert count(keyspace().blob_chunks) == 0
    assert files.usage()["files"] == 0 and files.usage()["bytes"] == 0


def test_deleteuser_deletes_the_files_of_every_session(api, auth):
    sessions = [Files(api, auth, new_session(api, auth)) for _ in range(3)]
    for n, files in enumerate(sessions):
        files.put(f"s{n}/a.txt", b"abc")
    run("deleteuser", "alice@example.com", "--yes", "--batch-size", "1")
    assert count(keyspace().file_entries) == 0
    assert count(keyspace().blob_chunks) == 0
    assert count(keyspace().file_trash) == 0


def test_purge_expired_clears_dead_uploads_only_once_expired(api, files):
    files.put("kept.txt", b"kept")
    dead = blob_write(get_database(), [b"half an upload"])
    assert run_json("purge_expired")["blobs"]["purged"] == 0
    with clock.frozen(clock.now() + timedelta(hours=2)):
        assert run_json("purge_expired")["blobs"]["purged"] == 1
    chunks = keyspace().blob_chunks.subspace((dead.id,)).range()
    assert not get_database().transact(lambda tr: tr.get_range(chunks.start, chunks.stop))
    assert files.get("kept.txt").status_code == 200
