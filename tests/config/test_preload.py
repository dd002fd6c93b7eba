"""config/preload.py: the server's master imports the application before it forks,
and importing opens nothing that a fork could not carry: no store, no FoundationDB
client, no thread, no file or socket."""

from __future__ import annotations

import json
import os

import pytest

from tests.config.conftest import PYTHON, STRONG_SECRET, run
from tests.support.server import clean_env

# In a fresh interpreter, as the master runs it: what is open before and after?
PROBE = """
import gc, json, os, sys, threading

def open_fds():
    return sorted(os.listdir("/proc/self/fd"))

fds, threads = open_fds(), threading.active_count()
from config.preload import preload
modules = preload("config.asgi:application")
from fdbstore import connection
print(json.dumps({
    "modules": modules,
    "threads": [threads, threading.active_count()],
    "fds": [fds, open_fds()],
    "fdb_client_loaded": "fdb.impl" in sys.modules,
    "store_opened": connection._database is not None,
    "frozen": gc.get_freeze_count(),
}))
"""


@pytest.mark.parametrize(
    ("settings", "mounts"),
    [
        ("config.settings", ["mcp_server.asgi", "agents.asgi"]),  # A2A: three apps, one module
        ("tests.server.mount_settings", ["tests.server.stream_app"]),
    ],
)
def test_preloading_imports_the_app_and_its_mounts_and_opens_nothing(tmp_path, settings, mounts):
    env = clean_env(
        DJANGO_SETTINGS_MODULE=settings,
        DEBUG="false",
        JWT_SECRET=STRONG_SECRET,
        FDBSTORE_PATH=str(tmp_path / "store.sqlite3"),
    )
    if os.environ.get("FDB_CLUSTER_FILE"):  # a cluster's run: the same holds for its store
        env["FDB_CLUSTER_FILE"] = os.environ["FDB_CLUSTER_FILE"]
    result = run([PYTHON, "-c", PROBE], env)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)

    assert seen["modules"] == ["config.asgi", *mounts]
    assert seen["threads"][1] == seen["threads"][0] == 1
    assert seen["fds"][1] == seen["fds"][0]
    assert not seen["fdb_client_loaded"]
    assert not seen["store_opened"]
    assert not (tmp_path / "store.sqlite3").exists()
    assert seen["frozen"] > 10_000  # the imported objects, out of the collector's way
