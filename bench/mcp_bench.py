"""MCP ``tools/call`` against the REST equivalents, in one run on one server.

    python -m bench.mcp_bench [--duration 5] [--rounds 3] [--workers 2] [--connections 8]

Serves the project with the production server (``python -m config.server``:
REST and MCP on one port, ``settings.ASGI_MOUNTS``) on a fresh embedded store
(synchronous=FULL, the default), registers a user
with 20 sessions over REST, then drives with wrk, alternating (A B A B ...):

- ``GET /api/v5/sessions/{id}`` against ``tools/call session_get``;
- ``GET /api/v5/sessions`` against ``tools/call sessions_list``.

Each MCP request is one stateless POST of the 2026-07-28 revision (no
handshake, no session). Prints requests per second (medians over rounds),
p50/p99 and the MCP ÷ REST ratio; the target is at least 0.5. The machines are
shared and noisy: the ratio counts, absolute figures do not.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from bench.servers import production_server
from bench.wrkrun import Request, WrkResult, parse, wrk_binary

API = "/api/v5"
MCP = f"{API}/mcp"
SCRIPT = Path(__file__).resolve().parent / "wrk" / "mcp.lua"
REST_SCRIPT = Path(__file__).resolve().parent / "wrk" / "scenario.lua"
TARGET = 0.5
SECRET = "bench-jwt-secret-" + "x" * 48


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def http(base: str, method: str, path: str, body=None, token: str = "", headers=None):
    data = None if body is None else json.dumps(body).encode()
    sent = {"Content-Type": "application/json", **(headers or {})}
    if token:
        sent["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(base + path, data=data, method=method, headers=sent)
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read() or b"null")


def wrk(base: str, request: Request, script: Path, args: argparse.Namespace) -> WrkResult:
    env = {
        **os.environ,
        "BENCH_METHOD": request.method,
        "BENCH_PATH": request.path,
        "BENCH_TOKEN": request.token,
        "BENCH_BODY": request.body,
        "BENCH_MCP_METHOD": "tools/call",
        "BENCH_MCP_NAME": json.loads(request.body)["params"]["name"] if request.body else "",
    }
    command = [
        wrk_binary(),
        "--threads",
        "1",
        "--connections",
        str(args.connections),
        "--duration",
        f"{args.duration}s",
        "--timeout",
        "10s",
        "--latency",
        "--script",
        str(script),
        base,
    ]
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=args.duration + 60, check=True
    )
    return parse(done.stdout)


def tools_call(name: str, arguments: dict) -> str:
    message = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {
            "name": name,
            "arguments": arguments,
            "_meta": {
                "io.modelcontextprotocol/protocolVersion": "2026-07-28",
                "io.modelcontextprotocol/clientCapabilities": {},
                "io.modelcontextprotocol/clientInfo": {"name": "bench", "version": "1"},
            },
        },
    }
    return json.dumps(message, separators=(",", ":"))


def check_mcp(base: str, token: str, body: str) -> None:
    """One request by hand: a 200 with a result that is not a tool error."""
    answer = http(
        base,
        "POST",
        MCP,
        json.loads(body),
        token,
        {
            "Accept": "application/json, text/event-stream",
            "MCP-Protocol-Version": "2026-07-28",
            "Mcp-Method": "tools/call",
            "Mcp-Name": json.loads(body)["params"]["name"],
        },
    )
    if "result" not in answer or answer["result"].get("isError"):
        raise RuntimeError(f"MCP request failed: {json.dumps(answer)[:500]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args(argv)

    run_dir = Path(tempfile.mkdtemp(prefix="mcp-bench-"))
    server = production_server(
        run_dir / "store.sqlite3", run_dir, args.workers, name="server", JWT_SECRET=SECRET
    )
    log(f"serving: python -m config.server, {args.workers} workers")
    base = server.base_url
    try:
        user = {
            "email": "bench@example.com",
            "password": "correct horse battery staple",
            "firstName": "Bench",
            "lastName": "Mark",
        }
        token = http(base, "POST", f"{API}/auth/register", user)["data"]["token"]
        ids = [
            http(base, "POST", f"{API}/sessions", {"name": f"s{i}"}, token)["data"]["id"]
            for i in range(20)
        ]
        pairs = {
            "get by id": (
                Request("GET", f"{API}/sessions/{ids[0]}", token),
                Request("POST", MCP, token, tools_call("session_get", {"sessionId": ids[0]})),
            ),
            "list (20)": (
                Request("GET", f"{API}/sessions", token),
                Request("POST", MCP, token, tools_call("sessions_list", {})),
            ),
        }
        rows = []
        for label, (rest, mcp) in pairs.items():
            check_mcp(base, token, mcp.body)
            wrk(base, rest, REST_SCRIPT, argparse.Namespace(**{**vars(args), "duration": 1}))
            wrk(base, mcp, SCRIPT, argparse.Namespace(**{**vars(args), "duration": 1}))
            rest_runs, mcp_runs = [], []
            for _ in range(args.rounds):
                rest_runs.append(wrk(base, rest, REST_SCRIPT, args))
                mcp_runs.append(wrk(base, mcp, SCRIPT, args))
            rows.append((label, rest_runs, mcp_runs))
    finally:
        server.stop()
    print(report(rows, args))
    return 0


def report(rows, args: argparse.Namespace) -> str:
    def med(runs: list[WrkResult], attr: str) -> float:
        return statistics.median(getattr(run, attr) for run in runs)

    lines = [
        f"MCP vs REST: {args.workers} workers, wrk 1 thread x {args.connections} connections, "
        f"{args.duration} s x {args.rounds} rounds (medians)",
        "| scenario | REST req/s | MCP req/s | REST p50/p99 ms | MCP p50/p99 ms "
        "| non-2xx | MCP/REST |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, rest, mcp in rows:
        ratio = med(mcp, "rps") / med(rest, "rps")
        errors = sum(run.non2xx + run.socket_errors for run in rest + mcp)
        verdict = "met" if ratio >= TARGET else "NOT met"
        lines.append(
            f"| {label} | {med(rest, 'rps'):.0f} | {med(mcp, 'rps'):.0f} | "
            f"{med(rest, 'p50_ms'):.1f}/{med(rest, 'p99_ms'):.1f} | "
            f"{med(mcp, 'p50_ms'):.1f}/{med(mcp, 'p99_ms'):.1f} | {errors} | "
            f"{ratio:.2f} ({verdict}, target {TARGET}) |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
