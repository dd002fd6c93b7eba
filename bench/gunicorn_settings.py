"""The production gunicorn settings, read so the floor can be served the same way.

``config/gunicorn.conf.py`` loads the project's Django settings in the master
(to validate the environment), and forked workers inherit them: the floor
cannot load that file. So this module runs it in a child process with the
project's environment and prints the server-level values as JSON; the harness
passes them to the floor's gunicorn as command-line flags, and serves the
project with the file itself. Both get the same command-line overrides
(workers, threads, worker class), which take precedence over the file.

    python -m bench.gunicorn_settings config/gunicorn.conf.py
"""

from __future__ import annotations

import json
import runpy
import sys

# Setting name in the config file -> gunicorn's command-line flag (value-taking).
FLAGS = {
    "workers": "--workers",
    "threads": "--threads",
    "worker_class": "--worker-class",
    "worker_connections": "--worker-connections",
    "timeout": "--timeout",
    "graceful_timeout": "--graceful-timeout",
    "keepalive": "--keep-alive",
    "max_requests": "--max-requests",
    "max_requests_jitter": "--max-requests-jitter",
    "worker_tmp_dir": "--worker-tmp-dir",
    "backlog": "--backlog",
    "limit_request_line": "--limit-request-line",
    "limit_request_fields": "--limit-request-fields",
}
# Boolean settings -> the flag that switches them on.
SWITCHES = {"preload_app": "--preload", "reuse_port": "--reuse-port"}


def read(path: str) -> dict[str, object]:
    values = runpy.run_path(path)
    out: dict[str, object] = {}
    for name in (*FLAGS, *SWITCHES):
        value = values.get(name)
        if value is not None and isinstance(value, str | int | float | bool):
            out[name] = value
    return out


def flags(values: dict[str, object]) -> list[str]:
    out: list[str] = []
    for name, flag in FLAGS.items():
        if name in values:
            out += [flag, str(values[name])]
    for name, flag in SWITCHES.items():
        if values.get(name):
            out.append(flag)
    return out


if __name__ == "__main__":
    print(json.dumps(read(sys.argv[1])))
