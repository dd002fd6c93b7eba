"""REST throughput while the server holds idle long-lived connections.

    python -m bench.idle_streams [--streams 200] [--rounds 3] [--duration 5]

Serves the project on its production server with an idle event stream mounted
(bench/streams/: a heartbeat every 15 s, as MCP or A2A streams send), then per
round drives each REST scenario with wrk twice: alone, and while ``--streams``
connections hold the stream open (opened before the run, every one checked to
have answered 200, closed after it). Prints req/s and the workers' CPU per
request both ways and their ratio; the target is REST down by at most 10%
(ratio ≥ 0.90). The order alternates between rounds, so a drift of the shared
machine's load does not always favour the same side.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import sys
import time

from bench import api_bench
from bench.servers import ROOT, ServerSettings, start_server
from bench.streams.app import STREAM_PATH
from bench.wrkrun import run_wrk


class Streams:
    """``count`` open connections, each with the stream's headers read."""

    def __init__(self, port: int, count: int) -> None:
        self.sockets: list[socket.socket] = []
        request = (
            f"GET {STREAM_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        ).encode()
        for _ in range(count):
            sock = socket.create_connection(("127.0.0.1", port), timeout=30)
            sock.sendall(request)
            self.sockets.append(sock)
        for sock in self.sockets:
            head = b""
            while b": open\n\n" not in head:
                chunk = sock.recv(4096)
                if not chunk:
                    raise RuntimeError(f"a stream closed at once: {head[:200]!r}")
                head += chunk
            if not head.startswith(b"HTTP/1.1 200"):
                raise RuntimeError(f"the stream answered {head[:200]!r}")

    def close(self) -> None:
        for sock in self.sockets:
            sock.close()
        self.sockets = []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.idle_streams")
    parser.add_argument("--streams", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--only", default="get,list,health")
    args = parser.parse_args(argv)
    wanted = [s.strip() for s in args.only.split(",") if s.strip()]

    run_dir = ROOT / "var" / "bench" / "idle-streams"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    bench_args = api_bench.parse_args(["--workers", str(args.workers), "--sizes", "10"])
    env = api_bench.project_env(run_dir / "store.sqlite3", bench_args)
    env["DJANGO_SETTINGS_MODULE"] = "bench.streams.settings"
    settings = ServerSettings(workers=args.workers, threads=args.threads)
    manifest = api_bench.python_json(["bench.seed", "--sizes", "10"], env, timeout=600)
    scenarios = [s for s in api_bench.scenarios([10]) if s.name in wanted]
    project = start_server(
        "project",
        settings.project_command,
        args.workers,
        env,
        run_dir,
        ready_path=f"{api_bench.API}/health",
    )
    rows = []
    try:
        requests, _ = api_bench.build_requests(project.base_url, scenarios, manifest)
        load = {"connections": args.connections, "threads": 1}
        for scenario in scenarios:
            request = requests[scenario.name]
            run_wrk(project.base_url, request, duration_s=1, **load)  # warm-up
            alone: list[float] = []
            held: list[float] = []
            cpu_alone: list[float] = []
            cpu_held: list[float] = []
            for round_no in range(args.rounds):
                order = ("alone", "held") if round_no % 2 == 0 else ("held", "alone")
                for mode in order:
                    streams = Streams(project.port, args.streams) if mode == "held" else None
                    ticks = project.cpu_ticks()
                    result = run_wrk(project.base_url, request, duration_s=args.duration, **load)
                    project.wait_idle()
                    cpu_ms = (project.cpu_ticks() - ticks) * 1000 / api_bench.CLOCK_TICKS
                    if streams is not None:
                        streams.close()
                        time.sleep(0.5)
                    if result.non2xx or result.socket_errors:
                        raise RuntimeError(f"{scenario.name} {mode}: {result.statuses}")
                    (held if mode == "held" else alone).append(result.rps)
                    per_request = cpu_ms / result.requests
                    (cpu_held if mode == "held" else cpu_alone).append(per_request)
                    api_bench.log(
                        f"{scenario.name:<8} round {round_no + 1} {mode:<5} "
                        f"{result.rps:8.0f} req/s  {per_request:.2f} CPU ms/req"
                    )
            rows.append((scenario.label, alone, held, cpu_alone, cpu_held))
        rss = api_bench.rss_lines("project", project)
    finally:
        project.stop()

    med = statistics.median
    print(
        f"Idle streams: {args.streams} connections holding {STREAM_PATH} open (a heartbeat "
        f"every 15 s) while wrk drives REST ({args.connections} connections, "
        f"{args.duration:g} s x {args.rounds} rounds, order alternating); "
        f"{settings.describe().split(';')[0]}; load average at end {api_bench.loadavg()}"
    )
    print("")
    print(
        "| scenario | req/s alone | req/s with streams | ratio | CPU ms/req alone "
        "| with streams | target ≥ 0.90 |"
    )
    print("|---|---:|---:|---:|---:|---:|---|")
    for label, alone, held, cpu_alone, cpu_held in rows:
        ratio = med(held) / med(alone)
        verdict = "met" if ratio >= 0.9 else "NOT met"
        print(
            f"| {label} | {med(alone):,.0f} | {med(held):,.0f} | {ratio:.2f} "
            f"| {med(cpu_alone):.2f} | {med(cpu_held):.2f} | {verdict} |"
        )
    print("")
    print("\n".join(rss))
    return 0


if __name__ == "__main__":
    sys.exit(main())
