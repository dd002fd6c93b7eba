"""Settings for the test run: test-only environment defaults, then ``config.settings``.

pytest-django imports this (``DJANGO_SETTINGS_MODULE`` in pyproject.toml) before
it loads any conftest, so this is the one place where environment defaults are
set early enough for the settings to see them.
"""

from __future__ import annotations

import os
import tempfile

# A developer's ./.env never leaks into tests (config/dotenv.py); CI has none anyway.
os.environ["SKIP_DOTENV"] = "1"
# The tests use the embedded store, in a directory of their own, never ./var.
os.environ.setdefault(
    "FDBSTORE_PATH", os.path.join(tempfile.mkdtemp(prefix="fdbstore-tests-"), "store.sqlite3")
)
os.environ.setdefault("FDBSTORE_BACKEND", "embedded")
os.environ.setdefault("FDBSTORE_SYNCHRONOUS", "NORMAL")
# Tests run as production does, whatever the developer's shell exports; with DEBUG
# off the settings insist on a real-looking signing key.
os.environ["DEBUG"] = "false"
os.environ.setdefault("JWT_SECRET", "tests-only-jwt-secret-0123456789abcdefghijklmnop")

from config.settings import *  # noqa: F403
