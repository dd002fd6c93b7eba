"""The production server: ``python -m config.server`` (scripts/serve.sh, the image).

Runs granian with ``config.asgi:application`` on ``HOST:PORT`` in
``WEB_CONCURRENCY`` worker processes, each one event loop (HTTP/1.1 keep-alive,
streams and long-polls held cheaply) with Django in a thread pool beside it.
Chosen on measurements: docs/BENCHMARKS.md, "Server".

The environment is validated here, in the master, before any worker starts: a
bad value is one ``Configuration error: ...`` line and exit status 1. The
master then imports the application (``config.preload``; ``SERVER_PRELOAD``)
so that the workers share its memory. The store is never opened in the
master: the FoundationDB client is not fork-safe, so each worker opens the
store on its first request.

Signals: SIGTERM or SIGINT stop gracefully (workers finish what they serve,
then are killed after ``SERVER_GRACEFUL_TIMEOUT`` seconds); SIGHUP replaces the
workers one by one. ``SERVER_WORKERS_LIFETIME`` (seconds, at least 60) and
``SERVER_WORKERS_MAX_RSS`` (MiB) recycle workers gracefully; a worker that dies
is started again.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from config.checks import fail_fast, load_settings  # noqa: E402
from config.env import ConfigError, env_bool, env_choice, env_int  # noqa: E402
from config.logging import server_logging  # noqa: E402
from config.preload import preload  # noqa: E402

TARGET = "config.asgi:application"


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def event_loop() -> str:
    """``SERVER_LOOP``: uvloop where it is installed (a requirement on Linux and macOS:
    its cross-thread wake-up, the bridge's hand-back of every response, costs less
    than asyncio's self-pipe; docs/BENCHMARKS.md, "Files"), else asyncio."""
    installed = importlib.util.find_spec("uvloop") is not None
    loop = env_choice("SERVER_LOOP", "uvloop" if installed else "asyncio", ("asyncio", "uvloop"))
    if loop == "uvloop" and not installed:
        raise ConfigError(
            "SERVER_LOOP is uvloop but uvloop is not installed "
            "(pip install -r requirements.txt, or SERVER_LOOP=asyncio)"
        )
    return loop


def options() -> dict[str, Any]:
    """granian's keyword arguments from the validated environment."""
    settings = load_settings()  # validates the whole environment
    lifetime = env_int("SERVER_WORKERS_LIFETIME", 0, minimum=0)
    if 0 < lifetime < 60:
        raise ConfigError(
            f"SERVER_WORKERS_LIFETIME must be 0 (never) or at least 60, got {lifetime}"
        )
    max_rss = env_int("SERVER_WORKERS_MAX_RSS", 0, minimum=0)
    return {
        "address": settings.SERVER_HOST,
        "port": settings.SERVER_PORT,
        "workers": env_int("WEB_CONCURRENCY", min(2 * _cpus() + 1, 8), minimum=1, maximum=64),
        "backlog": env_int("SERVER_BACKLOG", 2048, minimum=128),
        "workers_kill_timeout": env_int("SERVER_GRACEFUL_TIMEOUT", 30, minimum=1, maximum=1800),
        "workers_lifetime": lifetime or None,
        "workers_max_rss": max_rss or None,
        "loop": event_loop(),
        "log_level": settings.LOG_LEVEL.lower(),
        "log_dictconfig": server_logging(debug=settings.DEBUG, level=settings.LOG_LEVEL),
    }


def main() -> None:
    with fail_fast():
        kwargs = options()
        if env_bool("SERVER_PRELOAD", True):
            preload(TARGET)
    from granian.constants import HTTPModes, Interfaces
    from granian.server import Server

    Server(
        TARGET,
        interface=Interfaces.ASGI,
        http=HTTPModes.http1,
        websockets=False,
        respawn_failed_workers=True,
        log_access=False,
        working_dir=BASE_DIR,
        **kwargs,
    ).serve()


if __name__ == "__main__":
    main()
