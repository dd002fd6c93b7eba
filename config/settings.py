"""Django settings: every value comes from the environment via ``config.env``."""

from __future__ import annotations

from pathlib import Path

from config import checks
from config.dotenv import load as load_dotenv
from config.env import env_bool, env_int, env_list, env_str
from config.logging import build_logging

BASE_DIR = Path(__file__).resolve().parent.parent

# Development: ./.env fills in variables the environment does not set (absent in
# CI and containers; skipped under tests). The real environment always wins.
load_dotenv(BASE_DIR / ".env")

DEBUG = env_bool("DEBUG", False)
# JWT_SECRET signs the tokens (and is Django's SECRET_KEY). With DEBUG off it must be
# set, at least 32 characters and not an example value, or the service refuses to start.
JWT_SECRET = checks.jwt_secret(debug=DEBUG)
SECRET_KEY = JWT_SECRET
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["*"])

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
    # Outermost: times the whole stack, logs one line, echoes X-Request-ID.
    "config.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
checks.store(FDBSTORE)  # unknown backend, unreadable cluster file, unwritable store path

# --- Server, logging, CORS origins, security headers (config/checks.py, config/logging.py)
SERVER_HOST, SERVER_PORT = checks.server_address()  # HOST / PORT, used by gunicorn.conf.py
LOG_LEVEL = checks.log_level()  # LOG_LEVEL, or RUST_LOG as an alias
LOGGING = build_logging(debug=DEBUG, level=LOG_LEVEL)
CORS_ALLOWED_ORIGINS = checks.cors_allowed_origins()

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Behind a TLS-terminating proxy: SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto makes
# request.is_secure() true for its HTTPS requests, which is when HSTS is sent.
SECURE_PROXY_SSL_HEADER = checks.proxy_ssl_header()
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^api/v5/health$"]  # load balancer probes speak plain HTTP
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
