"""Django settings: every value comes from the environment via ``config.env``."""

from __future__ import annotations

from datetime import timedelta
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
    # Before django.contrib.auth: Django runs the first app's command of a name, and
    # accounts' changepassword (fdbstore) replaces auth's (which needs the ORM).
    "accounts",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "fdbstore",
    "tenancy",
    "sessions_api",
    "mcp_server",  # issue 12: the MCP endpoint and `manage.py mcp`
    "agents",
]

MIDDLEWARE = [
    # Outermost: times the whole stack, logs one line, echoes X-Request-ID.
    "config.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # Swagger UI's assets, offline
    "corsheaders.middleware.CorsMiddleware",  # before CommonMiddleware
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
    # The embedded store reads its file through a memory map of up to this many
    # bytes (0: plain reads); file downloads read half as fast without it.
    "MMAP_BYTES": env_int("FDBSTORE_MMAP_BYTES", 1 << 30, minimum=0),
    # Each process keeps blobs of up to 1 MiB it read (small files, avatars) in
    # memory up to this many bytes (0: off); a blob never changes, so never stale.
    "BLOB_CACHE_BYTES": env_int("FDBSTORE_BLOB_CACHE_BYTES", 16 << 20, minimum=0),
}
checks.store(FDBSTORE)  # unknown backend, unreadable cluster file, unwritable store path

# --- Server, logging, CORS origins, security headers (config/checks.py, config/logging.py)
SERVER_HOST, SERVER_PORT = checks.server_address()  # HOST / PORT, used by config/server.py
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
SECURE_REDIRECT_EXEMPT = [r"^api/v5/health/?$"]  # load balancer probes speak plain HTTP
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG

# --- The v5 API: DRF, tokens, passwords, throttling, CORS, OpenAPI (accounts,
# tenancy, sessions_api, config/api). Variables are documented in the README.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["config.api.envelope.EnvelopeRenderer"],
    "DEFAULT_PARSER_CLASSES": ["config.api.parsers.JSONParser"],  # anything else: 415
    "EXCEPTION_HANDLER": "config.api.handlers.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "config.api.autoschema.AutoSchema",
    "DEFAULT_METADATA_CLASS": None,  # plain OPTIONS is 405; CORS preflight is answered earlier
    "NON_FIELD_ERRORS_KEY": "nonFieldErrors",
    "UNAUTHENTICATED_USER": None,
    # Fixed windows counted in fdbstore: N/s, N/min, N/hour or N/day, per client
    # address and per email. Behind proxies, THROTTLE_NUM_PROXIES says how many
    # X-Forwarded-For hops to trust for the client address.
    "DEFAULT_THROTTLE_RATES": {
        "login": env_str("THROTTLE_LOGIN_RATE", "10/min"),
        "register": env_str("THROTTLE_REGISTER_RATE", "5/min"),
        # avatar uploads per user (issue 9; accounts/throttles.py)
        "avatar": env_str("THROTTLE_AVATAR_RATE", "30/hour"),
    },
    "NUM_PROXIES": env_int("THROTTLE_NUM_PROXIES", 0, minimum=0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Request bodies above this are refused with 413 (config/api/parsers.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024

SIMPLE_JWT = {
    "ALGORITHM": "HS256",
    "SIGNING_KEY": JWT_SECRET,
    "ACCESS_TOKEN_LIFETIME": timedelta(hours=24),
    "USER_ID_CLAIM": "sub",
    "TOKEN_TYPE_CLAIM": None,  # the guide's claims only: sub, tenant_id, email, exp, iat, jti
    "AUTH_TOKEN_CLASSES": ("accounts.tokens.ApiAccessToken",),
    "UPDATE_LAST_LOGIN": False,
}

# Argon2id with Django's default parameters; a hash made with other parameters
# (or another hasher below) is upgraded at the next successful login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# CORS (django-cors-headers): every origin in development (DEBUG), else only
# CORS_ALLOWED_ORIGINS (read above); the guide's methods, headers and max age.
CORS_ALLOW_ALL_ORIGINS = DEBUG
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]  # PATCH: /auth/me (issue 9)
CORS_ALLOW_HEADERS = ["authorization", "content-type"]
# MCP (mcp_server/): browser MCP clients send the protocol revision, and on 2026-07-28
# the method and tool name of each request, as headers.
CORS_ALLOW_HEADERS += ["mcp-protocol-version", "mcp-method", "mcp-name"]
CORS_EXPOSE_HEADERS = ["Retry-After", "X-Request-ID"]  # readable by browser code
CORS_PREFLIGHT_MAX_AGE = 3600

# OpenAPI 3 at /api/v5/schema/, Swagger UI at /api/v5/docs/ with its assets
# served from drf-spectacular-sidecar through WhiteNoise: no CDN, no internet.
SPECTACULAR_SETTINGS = {
    "TITLE": "Coditect v5 API",
    "DESCRIPTION": "Register, log in and keep workspace sessions scoped to your tenant. "
    "Every body is an envelope: {success, data, meta?} or {success: false, error}.",
    "VERSION": "5.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": r"/api/v5",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PREPROCESSING_HOOKS": ["config.api.schema.strip_trailing_slash"],
    # (value, label) pairs: spectacular hashes a bare boolean enum as [(v, v)].
    "ENUM_NAME_OVERRIDES": {
        "SuccessTrueEnum": [(True, True)],
        "SuccessFalseEnum": [(False, False)],
    },
}
STATIC_URL = "static/"
WHITENOISE_USE_FINDERS = True  # serve the apps' static files without collectstatic
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]

# --- The production server (issue 14): granian runs config.asgi in WEB_CONCURRENCY
# worker processes (config/server.py); docs/OPERATIONS.md, "The production server".
# ASGI apps mounted beside Django: path prefix -> dotted path of an ASGI application,
# imported by the server's master (config/preload.py) and set up in each worker
# (config/router.py). Other issues add theirs.
ASGI_MOUNTS: dict[str, str] = {}
# Threads per worker that run Django (config/bridge.py), and when the bridge itself
# answers: 503 after SERVER_REQUEST_TIMEOUT seconds in Django, or with more than
# SERVER_MAX_PENDING requests queued in one worker; 413 above SERVER_MAX_BODY_BYTES.
SERVER_THREADS = env_int("SERVER_THREADS", 4, minimum=1, maximum=256)
# Freed memory a worker keeps per heap (config/malloc.py); 0 leaves glibc's defaults.
SERVER_MALLOC_KEEP_MIB = env_int("SERVER_MALLOC_KEEP_MIB", 32, minimum=0, maximum=1024)
SERVER_REQUEST_TIMEOUT = env_int("SERVER_REQUEST_TIMEOUT", 30, minimum=1)
SERVER_MAX_PENDING = env_int("SERVER_MAX_PENDING", 256, minimum=1)
SERVER_MAX_BODY_BYTES = env_int("SERVER_MAX_BODY_BYTES", 128 * 1024 * 1024, minimum=1024)

# --- MCP (issue 12, mcp_server/): the Model Context Protocol endpoint, served by the
# production server beside the REST API; README "MCP", docs/ARCHITECTURE.md "MCP".
ASGI_MOUNTS["/api/v5/mcp"] = "mcp_server.asgi.application"

# --- Workspace files (files/, issue 11). Per tenant: FILES_QUOTA_BYTES (default
# 1 GiB) and FILES_QUOTA_FILES (100,000); the largest file FILES_MAX_BYTES (100 MiB).
INSTALLED_APPS += ["files"]
FILES_MAX_BYTES = env_int("FILES_MAX_BYTES", 100 * 1024 * 1024, minimum=0)
FILES_QUOTA_BYTES = env_int("FILES_QUOTA_BYTES", 1024**3, minimum=0)
FILES_QUOTA_FILES = env_int("FILES_QUOTA_FILES", 100_000, minimum=0)
# Conditional requests and ranges cross origins too (a browser editor on another origin);
# HEAD needs no listing, it is a CORS-safelisted method.
CORS_ALLOW_HEADERS = [*CORS_ALLOW_HEADERS, "if-match", "if-none-match", "range"]
CORS_EXPOSE_HEADERS = [*CORS_EXPOSE_HEADERS, "ETag", "Content-Range", "Last-Modified"]
# -- Organisation tenants (issue 10) ------------------------------------------------
# Invitation codes expire this many days after they are made (1 to 365).
INVITATION_TTL_DAYS = env_int("INVITATION_TTL_DAYS", 7, minimum=1, maximum=365)
# Agents: the A2A hub (issue 13). Lease length, how many expired leases fail a
# task, the largest message and artifact a client or worker may send (refused
# before anything is stored), and how long finished tasks are kept.
AGENTS = {
    "LEASE_SECONDS": env_int("A2A_LEASE_SECONDS", 60, minimum=1, maximum=3600),
    "MAX_LEASE_EXPIRIES": env_int("A2A_MAX_LEASE_EXPIRIES", 3, minimum=1, maximum=100),
    "MAX_MESSAGE_BYTES": env_int("A2A_MAX_MESSAGE_BYTES", 32 * 1024, minimum=1024, maximum=60_000),
    "MAX_ARTIFACT_BYTES": env_int(
        "A2A_MAX_ARTIFACT_BYTES", 48 * 1024, minimum=1024, maximum=60_000
    ),
    "TASK_RETENTION_DAYS": env_int("A2A_TASK_RETENTION_DAYS", 7, minimum=1),
    # File parts (``raw`` bytes) are stored as blobs (fdbstore/blobs.py), not inline:
    # at most this many decoded bytes of files per message or artifact.
    "MAX_FILE_BYTES": env_int(
        "A2A_MAX_FILE_BYTES", 8 * 1024 * 1024, minimum=1024, maximum=64 * 1024 * 1024
    ),
}
# The A2A face, mounted beside Django (agents/asgi.py); its agent card gives the JSON-RPC
# URL from PUBLIC_BASE_URL when set (e.g. https://api.example.com), else the request's host.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "").rstrip("/")
ASGI_MOUNTS.update(
    {
        "/api/v5/a2a": "agents.asgi.rpc_application",
        "/.well-known/agent-card.json": "agents.asgi.card_application",
        # a worker's claim long-poll waits on the event loop, not in a Django thread
        "/api/v5/agents": "agents.asgi.agents_application",
    }
)
