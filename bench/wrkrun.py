"""Run wrk against one URL with bench/wrk/scenario.lua and parse what it prints."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "wrk" / "scenario.lua"
_LINE = re.compile(r"^BENCH (.*)$", re.MULTILINE)


@dataclass(frozen=True)
class Request:
    """What every request of a scenario sends."""

    method: str
    path: str
    token: str = ""
    body: str = ""


@dataclass(frozen=True)
class WrkResult:
    requests: int
    duration_s: float
    p50_ms: float
    p99_ms: float
    non2xx: int
    statuses: dict[int, int]
    socket_errors: int
    raw: str

    @property
    def rps(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not installed: apt-get install -y wrk (bench/run.sh does)")
    return found


def run_wrk(
    base_url: str,
    request: Request,
    *,
    duration_s: float,
    connections: int,
    threads: int,
    timeout_s: float = 10.0,
) -> WrkResult:
    """Drive ``base_url`` with one request shape for ``duration_s`` seconds."""
    env = {
        **os.environ,
        "BENCH_METHOD": request.method,
        "BENCH_PATH": request.path,
        "BENCH_TOKEN": request.token,
        "BENCH_BODY": request.body,
    }
    command = [
        wrk_binary(),
        "--threads",
        str(threads),
        "--connections",
        str(connections),
        "--duration",
        f"{max(1, round(duration_s))}s",
        "--timeout",
        f"{timeout_s:g}s",
        "--latency",
        "--script",
        str(SCRIPT),
        base_url,
    ]
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=duration_s + 60, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip()}")
    return parse(done.stdout)


def parse(output: str) -> WrkResult:
    """Parse the BENCH line of scenario.lua's done()."""
    match = _LINE.search(output)
    if not match:
        raise RuntimeError(f"wrk printed no BENCH line:\n{output}")
    fields = dict(part.split("=", 1) for part in match.group(1).split())
    statuses: dict[int, int] = {}
    for item in filter(None, fields["statuses"].split(",")):
        code, count = item.split(":")
        statuses[int(code)] = int(count)
    socket_errors = sum(
        int(fields[name])
        for name in ("errors_connect", "errors_read", "errors_write", "errors_timeout")
    )
    return WrkResult(
        requests=int(fields["requests"]),
        duration_s=int(fields["duration_us"]) / 1e6,
        p50_ms=int(fields["p50_us"]) / 1000,
        p99_ms=int(fields["p99_us"]) / 1000,
        non2xx=int(fields["non2xx"]),
        statuses=statuses,
        socket_errors=socket_errors,
        raw=output,
    )
