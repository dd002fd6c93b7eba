"""Start, wait for, measure and always stop gunicorn servers for the benchmark."""

from __future__ import annotations

import contextlib
import os
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


@dataclass(frozen=True)
class ServerSettings:
    """What gunicorn is told; the project and the floor get the same settings.

    The project is served with the production ``config_file``; the floor, which
    cannot load that file (it loads the project's Django settings), gets the
    file's server-level values as flags (``file_values``, read by
    ``bench.gunicorn_settings``). Both get the same overrides last."""

    workers: int = 2
    worker_class: str = "sync"
    threads: int = 1
    config_file: str | None = None
    file_values: dict[str, object] = field(default_factory=dict)

    def overrides(self) -> list[str]:
        return [
            "--workers",
            str(self.workers),
            "--worker-class",
            self.worker_class,
            "--threads",
            str(self.threads),
        ]

    def project_args(self) -> list[str]:
        head = ["--config", self.config_file] if self.config_file else []
        return head + self.overrides()

    def floor_args(self) -> list[str]:
        from bench.gunicorn_settings import flags

        return flags(self.file_values) + self.overrides()

    def describe(self) -> str:
        text = f"gunicorn, {self.workers} {self.worker_class} workers"
        if self.worker_class == "gthread":
            text += f" x {self.threads} threads"
        if self.config_file:
            shared = ", ".join(
                f"{k}={v}"
                for k, v in self.file_values.items()
                if k not in {"workers", "threads", "worker_class"}
            )
            text += f"; from {os.path.relpath(self.config_file, ROOT)}: {shared}"
        return text


@dataclass
class Server:
    """One running gunicorn master and where it listens."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    _stopped: bool = field(default=False, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        """The master's children: gunicorn's workers."""
        pid = self.process.pid
        try:
            raw = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        except OSError:
            return []
        return [int(part) for part in raw.split()]

    def worker_rss_kib(self) -> dict[int, int]:
        """Each worker's resident set (VmRSS) in KiB, from /proc/<pid>/status."""
        out: dict[int, int] = {}
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
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


def start_gunicorn(
    name: str,
    wsgi_app: str,
    gunicorn_args: list[str],
    workers: int,
    env: dict[str, str],
    log_dir: Path,
    *,
    ready_path: str,
    ready_timeout: float = 60.0,
) -> Server:
    """Start gunicorn on a free loopback port and wait until ``ready_path`` answers."""
    port = free_port()
    log_path = log_dir / f"{name}.log"
    command = [sys.executable, "-m", "gunicorn", wsgi_app, "--bind", f"127.0.0.1:{port}"]
    command += gunicorn_args
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
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
