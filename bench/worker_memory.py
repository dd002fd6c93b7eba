"""Memory per production-server worker, with the application preloaded by the master
(``SERVER_PRELOAD``, config/preload.py) and without.

    .venv/bin/python -m bench.worker_memory [--workers 2] [--requests 200]

For each setting, starts ``python -m config.server`` on an embedded store, sends
``--requests`` rounds of requests that reach Django, the MCP endpoint and the A2A
agent card in every worker, then reads each worker's ``/proc/<pid>/smaps_rollup``:
``Rss`` (all resident pages), ``Pss`` (shared pages divided among the processes
sharing them) and ``Private`` (pages no other process maps: what one more worker
costs).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from bench.servers import Server, production_server

PATHS = ("/api/v5/health", "/api/v5/sessions", "/api/v5/mcp", "/.well-known/agent-card.json")


def smaps_rollup_mib(pid: int) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, value = line.split(":", 1)
        out[key.strip()] = int(value.split()[0]) / 1024
    out["Private"] = out["Private_Clean"] + out["Private_Dirty"]
    return out


def exercise(server: Server, rounds: int) -> None:
    for _ in range(rounds):
        for path in PATHS:
            try:
                with urllib.request.urlopen(server.base_url + path, timeout=10) as answer:
                    answer.read()
            except urllib.error.HTTPError:
                pass  # 401 or 405: the request still went through the whole stack


def measure(preload: bool, workers: int, rounds: int) -> list[dict[str, float]]:
    with tempfile.TemporaryDirectory(prefix="worker-memory-") as tmp:
        folder = Path(tmp)
        server = production_server(
            folder / "store.sqlite3",
            folder,
            workers,
            SERVER_PRELOAD="true" if preload else "false",
        )
        try:
            exercise(server, rounds)
            return [smaps_rollup_mib(pid) for pid in sorted(server.worker_pids())]
        finally:
            server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=200, help="rounds of requests")
    args = parser.parse_args(argv)
    print(f"{'setting':<22}{'worker':>8}{'Rss MiB':>10}{'Pss MiB':>10}{'Private MiB':>13}")
    for preload in (False, True):
        label = f"SERVER_PRELOAD={'true' if preload else 'false'}"
        for i, figures in enumerate(measure(preload, args.workers, args.requests)):
            print(
                f"{label:<22}{i + 1:>8}{figures['Rss']:>10.0f}{figures['Pss']:>10.0f}"
                f"{figures['Private']:>13.0f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
