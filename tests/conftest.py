"""Test-wide setup: every test run gets its own embedded store directory."""

from __future__ import annotations

import os
import tempfile

# Set before Django reads settings: the tests use the embedded store by
# default, in a directory of their own, never the developer's ./var.
_STORE_DIR = tempfile.mkdtemp(prefix="fdbstore-tests-")
os.environ.setdefault("FDBSTORE_PATH", os.path.join(_STORE_DIR, "store.sqlite3"))
os.environ.setdefault("FDBSTORE_BACKEND", "embedded")
os.environ.setdefault("FDBSTORE_SYNCHRONOUS", "NORMAL")
