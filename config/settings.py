"""Django settings: every value comes from the environment via ``config.env``."""

from __future__ import annotations

from pathlib import Path

from config.env import env_bool, env_int, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("JWT_SECRET", "dev-secret-change-me-dev-secret-change-me")
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "rest_framework",
    "fdbstore",
    "accounts",
    "tenancy",
    "sessions_api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# No relational database anywhere: every persisted byte goes through fdbstore.
DATABASES: dict[str, dict[str, str]] = {}

USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en-us"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# fdbstore: the only storage. BACKEND is "embedded" (default), "memory" or
# "foundationdb" (chosen automatically when FDB_CLUSTER_FILE is set).
FDB_CLUSTER_FILE = env_str("FDB_CLUSTER_FILE")
FDBSTORE = {
    "BACKEND": env_str("FDBSTORE_BACKEND", "foundationdb" if FDB_CLUSTER_FILE else "embedded"),
    "PATH": env_str("FDBSTORE_PATH", str(BASE_DIR / "var" / "store.sqlite3")),
    "CLUSTER_FILE": FDB_CLUSTER_FILE,
    "API_VERSION": env_int("FDB_API_VERSION", 730, minimum=1),
    "ROOT": env_str("FDBSTORE_ROOT", "coditect"),
    "RETRY_LIMIT": env_int("FDBSTORE_RETRY_LIMIT", 20, minimum=1),
    "TIMEOUT_MS": env_int("FDBSTORE_TIMEOUT_MS", 5000, minimum=1),
    # FULL: an acknowledged commit survives power loss; NORMAL: survives kill -9.
    "SYNCHRONOUS": env_str("FDBSTORE_SYNCHRONOUS", "FULL"),
}
