"""gunicorn configuration: ``gunicorn --config config/gunicorn.conf.py``.

Read by the gunicorn master before it forks its workers. It loads ``.env`` and
the Django settings first, so a bad environment stops the master with one
``Configuration error: ...`` line and exit status 1 before any worker boots.

The store is never opened here: the FoundationDB client is not fork-safe (a
process forked after ``fdb.open()`` hangs on its first read), so there is no
``preload_app`` and each worker opens its own handle on its first request
(``fdbstore.connection.get_database()``, which also re-opens after a fork).

Environment: HOST, PORT (bind); WEB_CONCURRENCY (workers, default 2 x CPUs + 1,
at most 8); GUNICORN_THREADS (threads per worker, default 1); GUNICORN_TIMEOUT
(seconds, default 30); GUNICORN_MAX_REQUESTS (recycle a worker after that many
requests, default 0 = never); GUNICORN_CONTROL_SOCKET (path of gunicorn's control
socket; off by default). FORWARDED_ALLOW_IPS is gunicorn's own variable.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

_BASE_DIR = Path(__file__).resolve().parent.parent
if str(_BASE_DIR) not in sys.path:
    sys.path.insert(0, str(_BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from config.checks import fail_fast, load_settings  # noqa: E402
from config.env import env_int, env_str  # noqa: E402
from config.logging import gunicorn_logging  # noqa: E402


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


with fail_fast():
    _settings = load_settings()  # validates the whole environment
    workers = env_int("WEB_CONCURRENCY", min(2 * _cpus() + 1, 8), minimum=1, maximum=64)
    threads = env_int("GUNICORN_THREADS", 1, minimum=1, maximum=64)
    timeout = env_int("GUNICORN_TIMEOUT", 30, minimum=1)
    max_requests = env_int("GUNICORN_MAX_REQUESTS", 0, minimum=0)
    _control_socket = env_str("GUNICORN_CONTROL_SOCKET").strip()

wsgi_app = "config.wsgi:application"
chdir = str(_BASE_DIR)
_host = _settings.SERVER_HOST
bind = [f"[{_host}]" if ":" in _host else _host]  # an IPv6 literal needs brackets
bind = [f"{bind[0]}:{_settings.SERVER_PORT}"]

# Never preload: the app (and with it the store) must be loaded after the fork.
preload_app = False
graceful_timeout = 30
keepalive = 5
max_requests_jitter = max_requests // 10

# The request log comes from config.middleware (one line per request, JSON with
# DEBUG off); gunicorn's access log would repeat it with the query string.
accesslog = None
errorlog = "-"
loglevel = _settings.LOG_LEVEL.lower()
logconfig_dict = gunicorn_logging(debug=_settings.DEBUG, level=_settings.LOG_LEVEL)
capture_output = False
proc_name = "coditect-api"

# Worker heartbeat files on tmpfs, not on a container's overlay filesystem
# (gunicorn's documented advice for Docker).
_SHM = "/dev/shm"  # noqa: S108
if os.path.isdir(_SHM) and os.access(_SHM, os.W_OK):
    worker_tmp_dir = _SHM

control_socket_disable = not _control_socket
if _control_socket:
    control_socket = _control_socket
