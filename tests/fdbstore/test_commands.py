"""The operator commands: status, check, and clear one-line errors for a wrong store."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from fdb import tuple as fdbtuple

from fdbstore import scan
from fdbstore.connection import reset_database, use_database
from fdbstore.keys import LAYOUT_VERSION, SPACES, keyspace
from fdbstore.progress import Progress
from fdbstore.registry import repositories, use_repositories
from tests.fdbstore.dataset import plant
from tests.fdbstore.widgets import RecordingDatabase, widget, widget_repository
from tests.support.stores import fresh_store, open_store

ROOT_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path):
    with fresh_store(tmp_path) as db:
        yield db


def run(name, *args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command(name, *args, stdout=out, stderr=err, **options)
    return out.getvalue()


# -- fdbstore_status --------------------------------------------------------------------
def test_status_shows_backend_location_layout_and_every_space(store):
    plant(store)
    text = run("fdbstore_status")
    assert "Backend:   embedded" in text
    assert f"Location:  embedded (SQLite WAL) at {store.path}" in text
    assert f"Layout:    {LAYOUT_VERSION} (this code: {LAYOUT_VERSION})" in text
    rows = {line.split()[0]: line.split()[1:] for line in text.splitlines()[6:]}
    assert set(rows) == {*SPACES, "total"}
    assert rows["users"][0] == "3" and rows["sessions"][0] == "3" and rows["meta"][0] == "1"
    assert rows["total"][0] == "26"


def test_status_json_counts_keys_and_bytes_exactly(store):
    plant(store)
    data = json.loads(run("fdbstore_status", "--json"))
    assert data["backend"] == "embedded" and data["location"].endswith(store.path)
    assert data["root"] == "coditect" and data["layout_version"] == LAYOUT_VERSION
    assert [s["space"] for s in data["spaces"]] == list(SPACES)
    rows = store.transact(lambda tr: tr.get_range_startswith(keyspace().root.key()))
    assert data["total"] == {"keys": len(rows), "bytes": sum(len(k) + len(v) for k, v in rows)}
    users = keyspace().users.range()
    user_rows = store.transact(lambda tr: tr.get_range(users.start, users.stop))
    (usage,) = [s for s in data["spaces"] if s["space"] == "users"]
    assert usage == {
        "space": "users",
        "keys": 3,
        "bytes": sum(len(k) + len(v) for k, v in user_rows),
    }


def test_status_counts_in_bounded_snapshot_reads_one_transaction_each(store, monkeypatch):
    plant(store)
    monkeypatch.setattr(scan, "BATCH", 2)
    spy = RecordingDatabase(store)
    with use_database(spy):
        data = json.loads(run("fdbstore_status", "--json"))
    assert data["total"]["keys"] == 26
    ranges = [t for t in spy.transactions if any(op[0].endswith("get_range") for op in t)]
    assert all(t == [("snapshot.get_range", 2)] for t in ranges)
    assert not any(op[0] in ("set", "clear") for t in spy.transactions for op in t)


# -- fdbstore_check ---------------------------------------------------------------------
@pytest.fixture
def widgets(store):
    repo = widget_repository()
    made = [widget(f"W-{i}") for i in range(3)]
    store.transact(lambda tr: [repo.insert(tr, w) for w in made])
    with use_repositories({"test.widgets": repo}):
        yield repo, made


def plant_problems(store, repo, made):
    orphan = repo.index("by_code").space().pack(("GHOST",))
    missing = repo.index("by_owner").space().pack((made[1].owner, made[1].id))
    store.transact(lambda tr: tr.set(orphan, fdbtuple.pack((made[0].id,))))
    store.transact(lambda tr: tr.clear(missing))


def test_check_reports_a_clean_store_and_exits_zero(store, widgets):
    assert run("fdbstore_check") == "test.widgets: 3 records, 0 orphans, 0 missing\n"


def test_check_finds_a_planted_orphan_and_missing_entry_and_exits_non_zero(store, widgets):
    plant_problems(store, *widgets)
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 index problem") as caught:
        call_command("fdbstore_check", stdout=out)
    assert caught.value.returncode == 1
    text = out.getvalue()
    assert "test.widgets: 3 records, 1 orphans, 1 missing" in text
    assert "orphan   by_code" in text and "'GHOST'" in text
    assert "missing  by_owner" in text


def test_check_repair_fixes_both_and_the_next_check_is_clean(store, widgets):
    plant_problems(store, *widgets)
    assert "2 repaired" in run("fdbstore_check", "--repair")
    assert run("fdbstore_check") == "test.widgets: 3 records, 0 orphans, 0 missing\n"


def test_check_json_lists_findings_for_scripts(store, widgets):
    plant_problems(store, *widgets)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("fdbstore_check", "--json", stdout=out)
    data = json.loads(out.getvalue())
    (report,) = data["repositories"]
    assert data["ok"] is False and report["ok"] is False
    assert report["name"] == "test.widgets" and report["records"] == 3
    assert [o["index"] for o in report["orphans"]] == ["by_code"]
    assert [m["index"] for m in report["missing"]] == ["by_owner"]
    repaired = json.loads(run("fdbstore_check", "--json", "--repair"))
    assert repaired["ok"] is True and repaired["repositories"][0]["repaired"] == 2


def test_check_exits_non_zero_for_an_undecodable_record_even_with_repair(store, widgets):
    repo, made = widgets
    store.transact(lambda tr: tr.set(repo.key((made[0].id,)), b"\xff garbage"))
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 index problem"):
        call_command("fdbstore_check", "--repair", stdout=out)
    assert "1 undecodable" in out.getvalue()


def test_check_with_no_repositories_says_so(store):
    with use_repositories({}):
        assert "No repositories are registered" in run("fdbstore_check")


def test_use_repositories_restores_the_registry(store):
    before = repositories()
    with use_repositories({"test.widgets": widget_repository()}) as inside:
        assert list(inside) == ["test.widgets"]
    with use_repositories({"test.more": widget_repository()}, replace=False) as inside:
        assert set(inside) == {*before, "test.more"}
    assert repositories() == before


# -- clear errors, in process -------------------------------------------------------------
@pytest.fixture
def unopened():
    """No shared handle: the command opens the store from settings, as in production."""
    reset_database()
    yield
    reset_database()


def settings_for(path, **extra):
    return override_settings(
        FDBSTORE={"BACKEND": "embedded", "PATH": str(path), "SYNCHRONOUS": "NORMAL", **extra}
    )


def foreign_sqlite(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE kv (name TEXT, age INTEGER)")
    conn.commit()
    conn.close()
    return path


def newer_layout(path):
    db = open_store(path)
    db.transact(
        lambda tr: tr.set(keyspace().layout_version(), fdbtuple.pack((LAYOUT_VERSION + 1,)))
    )
    db.close()
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp, "cannot open the embedded store"),
        (lambda tmp: tmp / "notes.txt", "file is not a database"),
        (lambda tmp: foreign_sqlite(tmp / "other.sqlite3"), "not usable"),
        (lambda tmp: newer_layout(tmp / "new.sqlite3"), f"key layout {LAYOUT_VERSION + 1}"),
    ],
    ids=["a directory", "not sqlite", "another app's sqlite", "newer layout"],
)
@pytest.mark.parametrize("command", ["fdbstore_status", "fdbstore_dump", "fdbstore_check"])
def test_a_wrong_store_is_a_command_error(tmp_path, unopened, make, message, command):
    (tmp_path / "notes.txt").write_text("these are notes, not a database\n" * 20)
    with settings_for(make(tmp_path)), pytest.raises(CommandError, match=message) as caught:
        run(command)
    assert "\n" not in str(caught.value)


def test_an_unknown_backend_is_a_command_error(tmp_path, unopened):
    expected = "must be one of memory, embedded, foundationdb"
    with (
        settings_for(tmp_path / "s.sqlite3", BACKEND="bogus"),
        pytest.raises(CommandError, match=expected),
    ):
        run("fdbstore_status")


def test_a_missing_load_file_is_a_command_error(store, tmp_path):
    with pytest.raises(CommandError, match=r"cannot read .*missing\.jsonl: No such file"):
        run("fdbstore_load", str(tmp_path / "missing.jsonl"))


def test_an_unwritable_dump_output_is_a_command_error(store, tmp_path):
    with pytest.raises(CommandError, match="cannot write"):
        run("fdbstore_dump", "--output", str(tmp_path / "no" / "such" / "dir.jsonl"))


def test_a_failed_dump_leaves_no_partial_file(store, tmp_path, monkeypatch):
    plant(store)

    def broken(*args, **kwargs):
        yield from ()
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(scan, "batches", broken)
    monkeypatch.setattr("fdbstore.scopes.batches", broken)
    path = tmp_path / "dump.jsonl"
    with pytest.raises(CommandError, match="disk I/O error"):
        run("fdbstore_dump", "--output", str(path))
    assert not path.exists()


# -- clear errors, as an operator sees them ---------------------------------------------------
def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def cluster_file(tmp):
    path = tmp / "fdb.cluster"
    path.write_text("test:test@127.0.0.1:4500\n")
    return {"FDBSTORE_BACKEND": "foundationdb", "FDB_CLUSTER_FILE": str(path)}


SUBPROCESS_CASES = {
    "a directory": (lambda tmp: {"FDBSTORE_PATH": str(tmp)}, ["fdbstore_status"]),
    "not sqlite": (
        lambda tmp: {"FDBSTORE_PATH": str(tmp / "notes.txt")},
        ["fdbstore_dump"],
    ),
    "another app's sqlite": (
        lambda tmp: {"FDBSTORE_PATH": str(foreign_sqlite(tmp / "other.sqlite3"))},
        ["fdbstore_check"],
    ),
    "unknown backend": (lambda tmp: {"FDBSTORE_BACKEND": "bogus"}, ["fdbstore_status"]),
    "no FoundationDB client library": (cluster_file, ["fdbstore_status"]),
    "newer layout": (
        lambda tmp: {"FDBSTORE_PATH": str(newer_layout(tmp / "new.sqlite3"))},
        ["fdbstore_status"],
    ),
    "bad tenant id": (
        lambda tmp: {"FDBSTORE_PATH": str(tmp / "s.sqlite3")},
        ["fdbstore_dump", "--tenant", "nope"],
    ),
    "missing dump file": (
        lambda tmp: {"FDBSTORE_PATH": str(tmp / "s.sqlite3")},
        ["fdbstore_load", "missing.jsonl"],
    ),
}


@pytest.fixture(scope="module")
def operator_runs(tmp_path_factory):
    """Every case's ``manage.py`` run, started together: they are slow one by one."""
    started = {}
    for case, (make_env, args) in SUBPROCESS_CASES.items():
        tmp = tmp_path_factory.mktemp("operator")
        (tmp / "notes.txt").write_text("these are notes, not a database\n" * 20)
        started[case] = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT_DIR,
            env={**os.environ, **make_env(tmp)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    finished = {}
    for case, process in started.items():
        out, err = process.communicate(timeout=120)
        finished[case] = (process.returncode, out, err)
    return finished


@pytest.mark.parametrize("case", list(SUBPROCESS_CASES))
def test_manage_py_prints_one_line_and_exits_non_zero(operator_runs, case):
    returncode, out, err = operator_runs[case]
    assert returncode != 0, out
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines, "no message on stderr"
    # One line saying what is wrong (argparse adds its usage line before it).
    assert len([line for line in lines if not line.startswith(("usage:", " "))]) == 1, lines


def test_manage_py_check_exits_one_on_problems_and_zero_when_clean(tmp_path):
    path = tmp_path / "s.sqlite3"
    env = {"FDBSTORE_PATH": str(path)}
    db = open_store(path)  # a membership index entry no membership accounts for
    orphan = keyspace().tenant_member(uuid.uuid4(), uuid.uuid4())
    db.transact(lambda tr: tr.set(orphan, b"\x00"))
    db.close()
    result = manage("fdbstore_check", env=env)
    if "No repositories are registered" in result.stdout:
        pytest.skip("no application repository registered yet")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert manage("fdbstore_check", "--repair", env=env).returncode == 0
    assert manage("fdbstore_check", env=env).returncode == 0


# -- progress ----------------------------------------------------------------------------
class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_draws_on_a_terminal_only():
    quiet = io.StringIO()
    bar = Progress(quiet, "loading", 10)
    bar.advance(5)
    bar.close()
    assert quiet.getvalue() == ""
    screen = Terminal()
    bar = Progress(screen, "loading", 10)
    bar.advance(4)
    bar.close()
    assert screen.getvalue().startswith("\rloading [############..................]  40% 4/10")
    assert screen.getvalue().endswith("\n")


def test_progress_without_a_total_counts():
    screen = Terminal()
    bar = Progress(screen, "dumping")
    bar.advance(1234)
    assert bar.render() == "dumping: 1,234"


def test_a_command_draws_progress_on_a_terminal_stderr_without_colouring_it(store, tmp_path):
    plant(store)
    screen = Terminal()
    call_command("fdbstore_dump", "--output", str(tmp_path / "d.jsonl"), stderr=screen)
    drawn = screen.getvalue()
    assert "\rdumping: 25" in drawn and "\x1b[" not in drawn
