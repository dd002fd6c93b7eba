"""The production server for system tests: ``python -m config.server`` (granian).

``serve()`` starts it on a free loopback port, in its own process group
(so the master and every worker can be killed together), waits for
``/api/v5/health`` and always ends the whole group afterwards. Its stderr --
the server's lines and the JSON request log, each with the ``pid`` of the
process that wrote it -- goes to a file, so a test can tell which worker served
a request (by the ``X-Request-ID`` it sent) and show the log when it fails.
``launch_server`` is the fixture: it starts servers and stops each at the end
of the module.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest

# One clean child environment and one free-port finder for bench and tests.
from bench.servers import clean_env, free_port
from tests.support.http import call

ROOT = Path(__file__).resolve().parents[2]
SERVER = [sys.executable, "-m", "config.server"]
MANAGE = [sys.executable, "manage.py"]
# Generous: three workers importing Django at once on a loaded 2-core machine.
READY_TIMEOUT_S = 90
STOP_TIMEOUT_S = 20
HIGH_RATE = "100000/min"
_SPAWNING = re.compile(r"^Spawning worker-\d+ with PID: (\d+)$")


def server_env(store_path: Path, **overrides: str) -> dict[str, str]:
    """Production settings on a store of the test's own: DEBUG off, a strong
    random JWT_SECRET, throttle rates no test reaches unless it lowers one.
    Nothing of the test run's own environment leaks in but PATH and HOME."""
    settings = {
        "DEBUG": "false",
        "JWT_SECRET": secrets.token_urlsafe(48),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "3",
        "FDBSTORE_PATH": str(store_path),
        "THROTTLE_LOGIN_RATE": HIGH_RATE,
        "THROTTLE_REGISTER_RATE": HIGH_RATE,
        "THROTTLE_AVATAR_RATE": HIGH_RATE,
    }
    return clean_env(**{**settings, **overrides})


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen
    log_path: Path
    env: dict[str, str]
    killed: bool = False

    def log_entries(self) -> list[dict]:
        """Every JSON line written so far (DEBUG is off, so every line is JSON)."""
        entries = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            with suppress(ValueError):
                entries.append(json.loads(line))
        return entries

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def worker_pids(self) -> set[int]:
        """The pids of the workers the master has booted so far."""
        matches = (_SPAWNING.match(e.get("message", "")) for e in self.log_entries())
        return {int(m.group(1)) for m in matches if m}

    def served_by(self, request_ids: set[str]) -> dict[str, int]:
        """``request_id -> pid`` of the worker that logged each of these requests."""
        return {
            e["request_id"]: e["pid"]
            for e in self.log_entries()
            if e.get("logger") == "coditect.request" and e.get("request_id") in request_ids
        }

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: a crash, nothing flushed."""
        _signal_group(self.process, signal.SIGKILL)
        self.process.wait(timeout=STOP_TIMEOUT_S)
        self.killed = True

    def stop(self) -> None:
        """SIGTERM the group (a graceful stop); SIGKILL whatever is left after a while."""
        if self.killed:  # the group is gone; its id must not be signalled again
            return
        if self.process.poll() is None:
            _signal_group(self.process, signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=STOP_TIMEOUT_S)
        _signal_group(self.process, signal.SIGKILL)  # workers orphaned by a dead master
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=STOP_TIMEOUT_S)

    def manage(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """Run ``manage.py`` with the server's environment (same store, same secret)."""
        return subprocess.run(
            [*MANAGE, *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def check_store(self) -> dict:
        """``fdbstore_check --json`` on the server's store; assert it is clean and
        return its report."""
        result = self.manage("fdbstore_check", "--json")
        assert result.returncode == 0, result.stdout + result.stderr
        report = json.loads(result.stdout)
        assert report["ok"], report
        return report


def _signal_group(process: subprocess.Popen, sig: signal.Signals) -> None:
    # start_new_session made the master a group leader: its pgid is its pid.
    with suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


@contextmanager
def serve(env: dict[str, str], log_path: Path) -> Iterator[Server]:
    """Run the server with ``env`` on a free port until the block ends; the log is
    appended to ``log_path``. The block starts once ``/api/v5/health`` answers 200."""
    port = free_port()
    env = {**env, "PORT": str(port)}
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            SERVER,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killpg reaches every worker
        )
    server = Server(f"http://127.0.0.1:{port}", process, log_path, env)
    try:
        _wait_until_ready(server)
        yield server
    finally:
        server.stop()


def _wait_until_ready(server: Server) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(
                f"the server exited with status {server.process.returncode}:\n{server.log_tail()}"
            )
        with suppress(OSError):
            if call(server.base_url, "GET", "/api/v5/health", timeout=5).status == 200:
                return
        time.sleep(0.2)
    pytest.fail(f"the server did not answer within {READY_TIMEOUT_S}s:\n{server.log_tail()}")


class Launcher:
    """Starts servers for one test module; each is stopped when the module ends."""

    def __init__(self, directory: Path, stack: ExitStack) -> None:
        self.directory = directory
        self._stack = stack

    def env(self, name: str = "store", **overrides: str) -> dict[str, str]:
        """The environment of a server whose store is ``<module tmp>/<name>/``."""
        return server_env(self.directory / name / "store.sqlite3", **overrides)

    def __call__(self, env: dict[str, str]) -> Server:
        log_path = Path(env["FDBSTORE_PATH"]).parent / "server.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        return self._stack.enter_context(serve(env, log_path))


@pytest.fixture(scope="module")
def launch_server(tmp_path_factory) -> Iterator[Launcher]:
    """``launch_server(launch_server.env(...))`` starts a server and returns it ready."""
    with ExitStack() as stack:
        yield Launcher(tmp_path_factory.mktemp("servers"), stack)
