"""Start, wait for, measure and always stop the servers of the benchmark."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clean_env(**overrides: str) -> dict[str, str]:
    """The environment for a child process: this one's PATH and HOME, the project's
    settings module, no ``.env``, and none of the caller's own settings. The test
    suite's servers and commands start from it too (tests/support/server.py)."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),  # noqa: S108
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SKIP_DOTENV": "1",
    }
    env.update(overrides)
    return env


def production_env(store: Path, workers: int, **overrides: str) -> dict[str, str]:
    """The production server's environment for a benchmark run: DEBUG off, a fresh
    strong JWT secret, the embedded store at ``store``, throttles out of reach, only
    warnings logged. Nothing of the caller's environment but PATH and HOME."""
    settings = {
        "DEBUG": "false",
        "JWT_SECRET": secrets.token_urlsafe(48),
        "WEB_CONCURRENCY": str(workers),
        "FDBSTORE_PATH": str(store),
        "THROTTLE_LOGIN_RATE": "100000/min",
        "THROTTLE_REGISTER_RATE": "100000/min",
        "LOG_LEVEL": "WARNING",
    }
    return clean_env(**{**settings, **overrides})


# The servers the comparison runs the project on (docs/BENCHMARKS.md, "Server").
# Each is (description, command after ``python -m``, extra environment); {workers},
# {threads}, {host} and {port} are filled in. "production" is what the project
# ships: ``python -m config.server`` (granian + config.asgi), reading its
# settings from the environment like the container does.
KINDS: dict[str, tuple[str, str, dict[str, str]]] = {
    "production": (
        "granian ASGI (python -m config.server: config.asgi, Django in {threads} threads)",
        "config.server",
        {"WEB_CONCURRENCY": "{workers}", "SERVER_THREADS": "{threads}"},
    ),
    "gunicorn-sync": (
        "gunicorn sync, config.wsgi",
        "gunicorn config.wsgi:application --workers {workers}",
        {},
    ),
    "gunicorn-gthread": (
        "gunicorn gthread x {threads} threads, keep-alive 5 s, config.wsgi",
        "gunicorn config.wsgi:application --workers {workers} --worker-class gthread"
        " --threads {threads} --keep-alive 5",
        {},
    ),
    "granian-wsgi": (
        "granian WSGI x {threads} blocking threads, config.wsgi",
        "granian --interface wsgi config.wsgi:application --workers {workers}"
        " --blocking-threads {threads} --no-ws --http 1",
        {},
    ),
    "granian-django-asgi": (
        "granian ASGI, Django's own ASGI handler",
        "granian --interface asgi --factory django.core.asgi:get_asgi_application"
        " --workers {workers} --no-ws --http 1",
        {},
    ),
    "uvicorn": (
        "uvicorn, Django's own ASGI handler",
        "uvicorn --factory django.core.asgi:get_asgi_application --workers {workers}"
        " --no-access-log --lifespan off",
        {},
    ),
}


def _bind_args(kind: str, host: str, port: int) -> list[str]:
    if kind == "production":
        return []
    if kind.startswith("gunicorn"):
        return ["--bind", f"{host}:{port}"]
    return ["--host", host, "--port", str(port)]


@dataclass(frozen=True)
class ServerSettings:
    """The project's server (``kind``) and the floor's: gunicorn sync, same workers."""

    workers: int = 2
    threads: int = 4
    kind: str = "production"

    def project_command(self, port: int) -> tuple[list[str], dict[str, str]]:
        _, args, env = KINDS[self.kind]
        fill = {"workers": str(self.workers), "threads": str(self.threads)}
        command = [sys.executable, "-m", *args.format(**fill).split()]
        command += _bind_args(self.kind, "127.0.0.1", port)
        extra = {k: v.format(**fill) for k, v in env.items()}
        extra.update({"HOST": "127.0.0.1", "PORT": str(port)})
        return command, extra

    def floor_command(self, port: int) -> list[str]:
        line = f"gunicorn bench.floor.wsgi:application --workers {self.workers} --worker-class sync"
        return [sys.executable, "-m", *line.split(), "--bind", f"127.0.0.1:{port}"]

    def describe(self) -> str:
        text = KINDS[self.kind][0].format(workers=self.workers, threads=self.threads)
        return (
            f"project: {text}, {self.workers} workers; floor: gunicorn sync, "
            f"{self.workers} workers (bench.floor.wsgi)"
        )


@dataclass
class Server:
    """One running server (its master process) and where it listens."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    _stopped: bool = field(default=False, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        """The master's children: the server's workers (helper processes left out)."""
        pid = self.process.pid
        try:
            raw = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        except OSError:
            return []
        out = []
        for part in raw.split():
            try:
                cmdline = Path(f"/proc/{part}/cmdline").read_bytes()
            except OSError:
                continue
            if b"resource_tracker" not in cmdline and b"semaphore_tracker" not in cmdline:
                out.append(int(part))
        return out

    def worker_rss_kib(self, field: str = "VmRSS") -> dict[int, int]:
        """Each worker's resident set in KiB, from /proc/<pid>/status: ``VmRSS`` (all
        of it), or ``RssAnon`` (its private memory, without mapped file pages)."""
        out: dict[int, int] = {}
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith(field + ":"):
                        out[pid] = int(line.split()[1])
        return out

    def cpu_ticks(self) -> int:
        """Total user + system CPU ticks of all workers so far."""
        total = 0
        for pid in self.worker_pids():
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total

    def wait_idle(self, timeout: float = 60.0, quiet_s: float = 0.3) -> bool:
        """Wait until the workers stop burning CPU: requests queued by a finished
        load run (slow logins, say) must not spill into the next run."""
        deadline = time.monotonic() + timeout
        last = self.cpu_ticks()
        while time.monotonic() < deadline:
            time.sleep(quiet_s)
            now = self.cpu_ticks()
            if now - last <= 1:
                return True
            last = now
        return False

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                # Kill the whole group: the master and any worker it left behind.
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


def start_server(
    name: str,
    command_for_port,
    workers: int,
    env: dict[str, str],
    log_dir: Path,
    *,
    ready_path: str,
    ready_timeout: float = 60.0,
) -> Server:
    """Start a server on a free loopback port and wait until ``ready_path`` answers.

    ``command_for_port(port)`` returns the command, or (command, extra environment)."""
    port = free_port()
    log_path = log_dir / f"{name}.log"
    made = command_for_port(port)
    command, extra = made if isinstance(made, tuple) else (made, {})
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**env, **extra},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stop() can kill all of it
        )
    server = Server(name, port, process, log_path)
    try:
        wait_ready(server, ready_path, ready_timeout, workers)
    except BaseException:
        server.stop()
        raise
    return server


def production_server(
    store: Path, log_dir: Path, workers: int, name: str = "project", **overrides: str
) -> Server:
    """The production server (``python -m config.server``) on an embedded store at
    ``store``, in ``production_env`` plus ``overrides``, ready on /api/v5/health."""
    env = production_env(store, workers, **overrides)

    def command(port: int) -> tuple[list[str], dict[str, str]]:
        return [sys.executable, "-m", "config.server"], {"HOST": "127.0.0.1", "PORT": str(port)}

    return start_server(
        name, command, workers, env, log_dir, ready_path="/api/v5/health", ready_timeout=90
    )


def wait_ready(server: Server, ready_path: str, timeout: float, workers: int) -> None:
    """Wait until the server answers ``ready_path`` and all its workers are up."""
    deadline = time.monotonic() + timeout
    last_error = "no answer yet"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            tail = server.log_path.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{server.name} server exited at start-up:\n{tail}")
        try:
            with urllib.request.urlopen(server.base_url + ready_path, timeout=5) as answer:
                answer.read()
            if len(server.worker_pids()) >= workers:
                return
        except urllib.error.HTTPError:
            # Any HTTP answer means Django is serving; the status is checked later.
            if len(server.worker_pids()) >= workers:
                return
        except (OSError, urllib.error.URLError) as exc:
            last_error = str(exc)
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} server not ready after {timeout:.0f} s: {last_error}")
