"""The files floor: bare Django serving and accepting files on the local disk.

``GET /f/<name>`` is a ``FileResponse``; ``PUT /f/<name>`` streams the body to
disk 64 KiB at a time. No middleware, no auth, no store: what Django alone
costs, for ``bench/files_bench.py`` to read the project's figures against.
"""

from __future__ import annotations

import os

SECRET_KEY = "bench-files-floor-not-a-secret"  # noqa: S105 -- never signs anything
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bench.files_floor.urls"
DATABASES: dict[str, dict[str, str]] = {}
USE_TZ = True
USE_I18N = False
LOGGING_CONFIG = None
FLOOR_DIR = os.environ.get("FILES_FLOOR_DIR", "/tmp/files-floor")  # noqa: S108
