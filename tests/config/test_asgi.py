"""config/asgi.py: the project's ASGI entry, loaded as a server worker loads it."""

from __future__ import annotations

import os
import subprocess
import sys

# In a fresh interpreter, as a worker imports it: which of Django's per-request
# database receivers are still connected once the entry is loaded?
PROBE = """
import config.asgi
from django.core import signals
from django.db import close_old_connections, reset_queries

def names(signal):
    return sorted(r.__name__ for r in signal._live_receivers(None)[0])

print(config.asgi.no_relational_database())
print(",".join(names(signals.request_started)))
print(",".join(names(signals.request_finished)))
"""


def test_without_a_database_no_request_walks_the_dummy_connections(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SKIP_DOTENV": "1",
        "DEBUG": "true",
        "FDBSTORE_PATH": str(tmp_path / "store.sqlite3"),
    }
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True
    ).stdout.splitlines()

    assert out[0] == "True"
    started, finished = out[1].split(","), out[2].split(",")
    assert "reset_queries" not in started
    assert "close_old_connections" not in started
    assert "close_old_connections" not in finished
    assert "reset_urlconf" in finished  # Django's own other receivers stay
