"""``manage.py migrate`` has nothing to do, and says so instead of crashing."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

from fdbstore.keys import LAYOUT_VERSION
from tests.support.stores import fresh_store

ROOT = Path(__file__).resolve().parents[2]


def test_migrate_opens_the_store_and_reports_its_layout(tmp_path):
    out = io.StringIO()
    with fresh_store(tmp_path):
        call_command("migrate", "--noinput", stdout=out)
    assert "nothing to migrate" in out.getvalue()
    assert f"key layout {LAYOUT_VERSION}" in out.getvalue()


def test_manage_py_migrate_exits_zero_without_a_database(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "true",
        "SKIP_DOTENV": "1",
        "FDBSTORE_PATH": str(tmp_path / "store.sqlite3"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "nothing to migrate" in done.stdout
    assert "Traceback" not in done.stderr
