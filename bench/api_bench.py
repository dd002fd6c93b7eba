"""The API benchmark: the project against its floor, under real HTTP load.

    python -m bench.api_bench [--duration 5] [--rounds 3] [--workers 2] [--quick]

What one run does (README, "Benchmarks"; figures in docs/BENCHMARKS.md):

1. seeds a fresh embedded store (synchronous=FULL, the project's default) in
   a separate process through the project's own services (``bench.seed``):
   a tenant with 20 sessions, tenants with 10, 1,000 and 100,000 sessions, a
   tenant that receives the POSTs, and a user that logs in;
2. starts the project on its production server (``python -m config.server``:
   granian serving ``config.asgi``; ``--server`` picks another for the
   comparison) with a fixed worker count, logs the users in over HTTP, and
   sends each scenario's request once to capture the response (status,
   headers, body);
3. starts the floor (``bench.floor``: Django with no DRF, no authentication, no
   store, no middleware) under gunicorn sync with the same worker count (the
   conventional deployment the ratios are read against), answering each of
   those requests with the captured bytes, and checks it does;
4. per scenario, after a warm-up, drives project then floor with wrk
   (A B A B ..., ``--rounds`` times), and prints requests per second, p50 and
   p99 latency, the non-2xx count and the project ÷ floor ratio of the medians;
5. prints each worker's resident memory (VmRSS), Argon2's in-process cost per
   login, and the targets, met or not.

The machines are shared and noisy: ratios count, absolute figures do not.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.servers import KINDS, ROOT, Server, ServerSettings, start_server
from bench.wrkrun import Request, WrkResult, run_wrk, wrk_binary

API = "/api/v5"
# Response headers a server sets itself; the floor copies every other one.
_SERVER_HEADERS = {"date", "server", "connection", "content-length", "transfer-encoding"}
# Environment variables that raise the login throttle for the login scenario,
# and that the harness also sets to keep the other scenarios clear of throttling.
# (config/settings.py, REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]; production: 10/min, 5/min).
THROTTLE_ENV = {
    "THROTTLE_LOGIN_RATE": "1000000/min",
    "THROTTLE_REGISTER_RATE": "1000000/min",
}
BENCH_JWT_SECRET = "bench-jwt-secret-" + "x" * 48
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Scenario:
    """One request shape, driven against both servers."""

    name: str
    label: str
    method: str
    path: str  # may contain {session_id}
    user: str | None  # the seeded user whose token authorises it (None: anonymous)
    body: dict[str, str] | None = None
    min_ratio: float | None = None  # target: project ÷ floor at least this
    duration_factor: float = 1.0  # login: Argon2 allows a few per second; run it longer


def scenarios(sizes: list[int]) -> list[Scenario]:
    out = [
        Scenario(
            "list", "GET /sessions (20 in tenant)", "GET", f"{API}/sessions", "list", None, 0.8
        ),
        Scenario(
            "get", "GET /sessions/{id}", "GET", f"{API}/sessions/{{session_id}}", "list", None, 1.0
        ),
        Scenario(
            "create",
            "POST /sessions",
            "POST",
            f"{API}/sessions",
            "create",
            {"name": "Bench session", "workspacePath": "/workspace/bench"},
            0.5,
        ),
        Scenario(
            "login",
            "POST /auth/login",
            "POST",
            f"{API}/auth/login",
            None,
            {"email": "", "password": ""},  # filled from the seed manifest
            duration_factor=3.0,
        ),
        Scenario("health", "GET /health", "GET", f"{API}/health", None, None, 1.0),
        # Issue 9: a stored avatar, public, as an <img> fetches it (the versioned URL).
        Scenario("avatar", "GET /users/{id}/avatar (WebP)", "GET", "{avatar_url}", None, None, 0.5),
    ]
    # The scaling scenarios all ask for the same page size, so they differ only
    # in how many sessions the tenant holds.
    for size in sizes:
        out.append(
            Scenario(
                f"list_{size}",
                f"GET /sessions?limit=10 ({size:,} in tenant)",
                "GET",
                f"{API}/sessions?limit=10",
                f"size_{size}",
            )
        )
    return out


@dataclass
class Captured:
    request: Request
    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass
class Outcome:
    scenario: Scenario
    captured: Captured | None = None
    skipped: str | None = None
    project: list[WrkResult] = field(default_factory=list)
    floor: list[WrkResult] = field(default_factory=list)
    # Workers' CPU (user + system, all threads) per request, in ms, for each run.
    project_cpu: list[float] = field(default_factory=list)
    floor_cpu: list[float] = field(default_factory=list)


# -- helpers --------------------------------------------------------------------------
def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def http(
    base_url: str, request: Request, timeout: float = 30.0
) -> tuple[int, list[tuple[str, str]], bytes]:
    headers = {"Accept": "application/json"}
    if request.token:
        headers["Authorization"] = f"Bearer {request.token}"
    data = None
    if request.body:
        data = request.body.encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(
        base_url + request.path, data=data, headers=headers, method=request.method
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as answer:
            return answer.status, list(answer.headers.items()), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, list(error.headers.items()), error.read()


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def machine() -> str:
    cores = os.cpu_count() or 0
    mem_kib = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    return (
        f"{cores} cores, {mem_kib / 1024 / 1024:.0f} GiB, {platform.system()} {platform.machine()}"
    )


def project_env(store_path: Path, args: argparse.Namespace) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"FDB_CLUSTER_FILE"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "false",
            "JWT_SECRET": BENCH_JWT_SECRET,
            "FDBSTORE_BACKEND": "embedded",
            "FDBSTORE_PATH": str(store_path),
            # Every acknowledged commit durable: the project's default, pinned here.
            "FDBSTORE_SYNCHRONOUS": "FULL",
            "PYTHONDONTWRITEBYTECODE": "1",
            "WEB_CONCURRENCY": str(args.workers),
            **THROTTLE_ENV,
        }
    )
    return env


def floor_env(responses_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.floor.settings",
            "BENCH_FLOOR_RESPONSES": str(responses_path),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env


def python_json(module_args: list[str], env: dict[str, str], timeout: float) -> dict:
    """Run ``python -m <module_args>`` and parse the JSON it prints last."""
    done = subprocess.run(
        [sys.executable, "-m", *module_args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{module_args[0]} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the run --------------------------------------------------------------------------
def build_requests(
    base_url: str, all_scenarios: list[Scenario], manifest: dict
) -> tuple[dict[str, Request], dict[str, str]]:
    """Log every seeded user in over HTTP; return each scenario's request."""
    tokens: dict[str, str] = {}
    for key, user in manifest["users"].items():
        body = json.dumps({"email": user["email"], "password": user["password"]})
        status, _, raw = http(base_url, Request("POST", f"{API}/auth/login", body=body))
        if status != 200:
            raise RuntimeError(f"login of seeded user {key} answered {status}: {raw[:300]!r}")
        tokens[key] = json.loads(raw)["data"]["token"]
    requests: dict[str, Request] = {}
    for scenario in all_scenarios:
        path = scenario.path
        if path == "{avatar_url}":
            path = manifest["users"]["avatar"]["avatar_url"]
        if "{session_id}" in path:
            path = path.format(session_id=manifest["users"][scenario.user]["session_ids"][0])
        body = dict(scenario.body) if scenario.body is not None else None
        if scenario.name == "login" and body is not None:
            body["email"] = manifest["users"]["login"]["email"]
            body["password"] = manifest["users"]["login"]["password"]
        requests[scenario.name] = Request(
            scenario.method,
            path,
            tokens.get(scenario.user, "") if scenario.user else "",
            json.dumps(body, separators=(",", ":")) if body is not None else "",
        )
    return requests, tokens


def capture(base_url: str, request: Request) -> Captured:
    status, headers, body = http(base_url, request)
    kept = [(name, value) for name, value in headers if name.lower() not in _SERVER_HEADERS]
    return Captured(request, status, kept, body)


def write_floor_responses(path: Path, outcomes: list[Outcome]) -> None:
    entries = []
    for outcome in outcomes:
        if outcome.captured is None:
            continue
        cap = outcome.captured
        entries.append(
            {
                "method": cap.request.method,
                "path": cap.request.path,
                "authorization": f"Bearer {cap.request.token}" if cap.request.token else "",
                "status": cap.status,
                "headers": cap.headers,
                "body_b64": base64.b64encode(cap.body).decode(),
            }
        )
    path.write_text(json.dumps({"responses": entries}, indent=1))


def check_floor(floor: Server, outcomes: list[Outcome]) -> None:
    """The floor must answer each request with the project's status and body bytes."""
    for outcome in outcomes:
        if outcome.captured is None:
            continue
        cap = outcome.captured
        status, _, body = http(floor.base_url, cap.request)
        if status != cap.status or body != cap.body:
            raise RuntimeError(
                f"floor answered {outcome.scenario.name} with {status} {body[:200]!r}, "
                f"not the project's {cap.status} {cap.body[:200]!r}"
            )


def drive(
    outcomes: list[Outcome],
    project: Server,
    floor: Server,
    args: argparse.Namespace,
) -> None:
    """Rounds outermost: every scenario runs once per round (project, then floor),
    so a slow spell of the shared machine spreads over all scenarios instead of
    landing on one, and the tenant sizes are compared across the same rounds."""
    load = {"connections": args.connections, "threads": args.wrk_threads}
    active = [o for o in outcomes if o.captured is not None]
    for round_no in range(1, args.rounds + 1):
        for outcome in active:
            assert outcome.captured is not None
            request = outcome.captured.request
            name = outcome.scenario.name
            duration = args.duration * outcome.scenario.duration_factor
            if round_no == 1 and args.warmup > 0:
                for server in (project, floor):
                    run_wrk(server.base_url, request, duration_s=args.warmup, **load)
                    server.wait_idle()
            runs = (
                (project, outcome.project, outcome.project_cpu),
                (floor, outcome.floor, outcome.floor_cpu),
            )
            for server, results, cpu in runs:
                ticks = server.cpu_ticks()
                result = run_wrk(server.base_url, request, duration_s=duration, **load)
                results.append(result)
                server.wait_idle()
                used_ms = (server.cpu_ticks() - ticks) * 1000 / CLOCK_TICKS
                cpu.append(used_ms / result.requests if result.requests else float("nan"))
                log(
                    f"{name:<12} round {round_no} {server.name:<7} {_rps(result.rps):>8} req/s  "
                    f"p50 {result.p50_ms:6.2f} ms  p99 {result.p99_ms:7.2f} ms  "
                    f"non-2xx {result.non2xx}  errors {result.socket_errors}"
                )


# -- the report -----------------------------------------------------------------------
def _rps(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def table(outcomes: list[Outcome]) -> list[str]:
    lines = [
        "| scenario | project req/s | p50 ms | p99 ms | non-2xx | floor req/s | p50 ms "
        "| p99 ms | project ÷ floor | target | CPU ms/req project, floor | floor ÷ project CPU |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for outcome in outcomes:
        sc = outcome.scenario
        if outcome.captured is None or not outcome.project:
            lines.append(f"| {sc.label} | n/a: {outcome.skipped} | | | | | | | | | | |")
            continue
        p, f = outcome.project, outcome.floor
        p_rps, f_rps = median([r.rps for r in p]), median([r.rps for r in f])
        ratio = p_rps / f_rps if f_rps else float("nan")
        target = ""
        if sc.min_ratio is not None:
            target = f"≥ {sc.min_ratio:.1f}: {'met' if ratio >= sc.min_ratio else 'NOT met'}"
        non2xx = sum(r.non2xx for r in p)
        errors = sum(r.socket_errors for r in p)
        non2xx_text = f"{non2xx}" + (f" (+{errors} socket errors)" if errors else "")
        lines.append(
            f"| {sc.label} | {_rps(p_rps)} | {median([r.p50_ms for r in p]):.2f} "
            f"| {median([r.p99_ms for r in p]):.2f} | {non2xx_text} | {_rps(f_rps)} "
            f"| {median([r.p50_ms for r in f]):.2f} | {median([r.p99_ms for r in f]):.2f} "
            f"| {ratio:.2f} | {target} | {median(outcome.project_cpu):.2f}, "
            f"{median(outcome.floor_cpu):.2f} "
            f"| {median(outcome.floor_cpu) / median(outcome.project_cpu):.2f} |"
        )
    return lines


def verdicts(outcomes: list[Outcome], sizes: list[int]) -> list[str]:
    by_name = {o.scenario.name: o for o in outcomes if o.project}
    out: list[str] = []
    for outcome in outcomes:
        sc = outcome.scenario
        if sc.min_ratio is None or sc.name not in by_name:
            continue
        ratio = median([r.rps for r in outcome.project]) / median([r.rps for r in outcome.floor])
        verdict = "met" if ratio >= sc.min_ratio else "NOT met"
        out.append(f"- {sc.label}: project ÷ floor {ratio:.2f}, target ≥ {sc.min_ratio}: {verdict}")
    if len(sizes) > 1 and f"list_{min(sizes)}" in by_name and f"list_{max(sizes)}" in by_name:
        small, large = by_name[f"list_{min(sizes)}"], by_name[f"list_{max(sizes)}"]
        raw = median([r.rps for r in large.project]) / median([r.rps for r in small.project])
        normalised = _ratio(large) / _ratio(small)
        verdict = "met" if normalised >= 0.9 else "NOT met"
        out.append(
            f"- list at {max(sizes):,} sessions vs at {min(sizes):,}: req/s {raw:.2f}x; "
            f"against each one's own floor {normalised:.2f}x (this one corrects for the "
            f"machine's load drifting between runs), target ≥ 0.90: {verdict}"
        )
    bad = [
        f"{o.scenario.name} {sum(r.non2xx for r in o.project)}"
        for o in outcomes
        if o.project and sum(r.non2xx + r.socket_errors for r in o.project)
    ]
    out.append(
        "- non-2xx responses: " + ("none in any scenario: met" if not bad else "; ".join(bad))
    )
    return out


def _ratio(outcome: Outcome) -> float:
    return median([r.rps for r in outcome.project]) / median([r.rps for r in outcome.floor])


def rss_lines(name: str, server: Server) -> list[str]:
    rss = server.worker_rss_kib()
    if not rss:
        return [f"- {name}: no worker found"]
    parts = ", ".join(f"pid {pid} {kib / 1024:.1f} MiB" for pid, kib in sorted(rss.items()))
    return [f"- {name} workers (VmRSS after the run): {parts}"]


def report(
    outcomes: list[Outcome],
    args: argparse.Namespace,
    settings: ServerSettings,
    rss: list[str],
    argon2: dict | None,
    command: str,
) -> str:
    lines = [
        f"API benchmark, {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"machine: {machine()} (shared and noisy: ratios count, absolute figures do not)",
        f"command: {command}",
        f"servers: {settings.describe()}; store: embedded (SQLite WAL), synchronous=FULL",
        f"load: wrk {args.wrk_threads} thread(s), {args.connections} connections, "
        f"{args.duration:g} s per run, {args.rounds} rounds (each: every scenario, "
        "project then floor), "
        f"{args.warmup:g} s warm-up each (login runs {3:g}x longer); figures are medians "
        f"over rounds; load average (1, 5, 15 min) at start {args.load_start}, "
        f"at end {loadavg()}",
        "CPU ms/req: the workers' user + system CPU (every thread) during a run ÷ its "
        "requests, median over rounds; it moves far less with the shared machine's load "
        "than req/s, and floor ÷ project CPU is the throughput ratio a CPU-bound run would show",
        "",
        *table(outcomes),
        "",
        "Targets:",
        *verdicts(outcomes, args.sizes),
        "",
        "Memory:",
        *rss,
    ]
    if argon2:
        lines += [
            "",
            f"Argon2 per login, in-process ({argon2['algorithm']}, {argon2['params']}): "
            f"check_password median {argon2['check_ms']:.1f} ms, make_password median "
            f"{argon2['make_ms']:.1f} ms over {argon2['n']} calls. The login scenario's "
            "ratio is bounded by this cost, not by the API code.",
        ]
    if args.rounds < 3:
        lines += ["", f"NOTE: {args.rounds} round(s): a smoke run, not a record (use ≥ 3)."]
    return "\n".join(lines)


def record(text: str) -> None:
    """Put ``text`` in docs/BENCHMARKS.md between the API section's markers."""
    path = ROOT / "docs" / "BENCHMARKS.md"
    begin, end = "<!-- api-bench:begin -->", "<!-- api-bench:end -->"
    body = f"{begin}\n```text\n{text}\n```\n{end}"
    current = path.read_text() if path.exists() else "# Benchmarks\n"
    if begin in current and end in current:
        head, rest = current.split(begin, 1)
        tail = rest.split(end, 1)[1]
        current = head + body + tail
    else:
        current = current.rstrip("\n") + "\n\n## API\n\n" + body + "\n"
    path.write_text(current)


# -- entry point ----------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.api_bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per wrk run (5)")
    parser.add_argument("--rounds", type=int, default=3, help="project/floor alternations (3)")
    parser.add_argument("--warmup", type=float, default=1.0, help="warm-up seconds per server (1)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes for both (2)")
    parser.add_argument(
        "--server",
        default="production",
        choices=sorted(KINDS),
        help="the project's server (production: python -m config.server)",
    )
    parser.add_argument(
        "--threads", type=int, default=4, help="Django threads per project worker (4)"
    )
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8)")
    parser.add_argument("--wrk-threads", type=int, default=1, help="wrk threads (1)")
    parser.add_argument(
        "--sizes", default="10,1000,100000", help="tenant sizes of the list scenarios"
    )
    parser.add_argument("--only", default="", help="comma-separated scenario names to run")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 round, 2 s, small sizes")
    parser.add_argument("--keep", action="store_true", help="keep the run directory's store")
    parser.add_argument("--json", dest="json_path", help="also write the results as JSON here")
    parser.add_argument(
        "--record", action="store_true", help="write the report into docs/BENCHMARKS.md (API)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.rounds, args.warmup = 2.0, 1, 1.0
        if args.sizes == parser.get_default("sizes"):
            args.sizes = "10,1000"
    args.sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    args.only = {s.strip() for s in args.only.split(",") if s.strip()}
    return args


def server_settings(args: argparse.Namespace) -> ServerSettings:
    return ServerSettings(workers=args.workers, threads=args.threads, kind=args.server)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    entry = os.environ.get("BENCH_ENTRY", "python -m bench.api_bench")
    command = " ".join([entry, *(argv if argv is not None else sys.argv[1:])])
    args.load_start = loadavg()
    wrk_binary()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    run_dir = ROOT / "var" / "bench" / stamp
    run_dir.mkdir(parents=True, exist_ok=True)
    store_path = run_dir / "store.sqlite3"
    all_scenarios = [s for s in scenarios(args.sizes) if not args.only or s.name in args.only]
    outcomes = [Outcome(s) for s in all_scenarios]
    env = project_env(store_path, args)
    settings = server_settings(args)
    log(f"run directory {run_dir.relative_to(ROOT)}; {settings.describe()}")

    started = time.monotonic()
    manifest = python_json(
        ["bench.seed", "--sizes", ",".join(str(s) for s in args.sizes)], env, timeout=1800
    )
    log(f"seeded in {time.monotonic() - started:.1f} s: {manifest.get('summary', '')}")

    servers: list[Server] = []
    try:
        project = start_server(
            "project",
            settings.project_command,
            settings.workers,
            env,
            run_dir,
            ready_path=f"{API}/health",
        )
        servers.append(project)
        requests, _ = build_requests(project.base_url, all_scenarios, manifest)
        for outcome in outcomes:
            captured = capture(project.base_url, requests[outcome.scenario.name])
            if 200 <= captured.status < 300:
                outcome.captured = captured
            else:
                outcome.skipped = f"project answered {captured.status} at capture"
                log(f"skip {outcome.scenario.name}: {captured.status} {captured.body[:200]!r}")
        responses_path = run_dir / "floor_responses.json"
        write_floor_responses(responses_path, outcomes)
        floor = start_server(
            "floor",
            settings.floor_command,
            settings.workers,
            floor_env(responses_path),
            run_dir,
            ready_path=f"{API}/sessions",
        )
        servers.append(floor)
        check_floor(floor, outcomes)
        drive(outcomes, project, floor, args)
        rss = rss_lines("project", project) + rss_lines("floor", floor)
    finally:
        for server in servers:
            server.stop()

    argon2 = None
    if any(o.scenario.name == "login" for o in outcomes):
        argon2 = python_json(["bench.argon2_cost"], env, timeout=300)
    text = report(outcomes, args, settings, rss, argon2, command)
    print(text)
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(results_json(outcomes, args), indent=1))
    if args.record:
        record(text)
        log("wrote docs/BENCHMARKS.md (API section)")
    if not args.keep:
        for leftover in run_dir.glob("store.sqlite3*"):
            leftover.unlink()
    trim_logs(run_dir)
    return 0


def trim_logs(run_dir: Path, keep_bytes: int = 256 * 1024) -> None:
    """Keep the tail of each server log: the request log writes a line per request."""
    for path in run_dir.glob("*.log"):
        size = path.stat().st_size
        if size > keep_bytes:
            with open(path, "rb") as handle:
                handle.seek(size - keep_bytes)
                tail = handle.read()
            path.write_bytes(b"[... trimmed by bench.api_bench ...]\n" + tail)


def results_json(outcomes: list[Outcome], args: argparse.Namespace) -> dict:
    return {
        "args": {k: (sorted(v) if isinstance(v, set) else v) for k, v in vars(args).items()},
        "scenarios": [
            {
                "name": o.scenario.name,
                "label": o.scenario.label,
                "skipped": o.skipped,
                "response_bytes": len(o.captured.body) if o.captured else None,
                "project": [asdict(r) | {"raw": None} for r in o.project],
                "floor": [asdict(r) | {"raw": None} for r in o.floor],
            }
            for o in outcomes
        ],
    }


if __name__ == "__main__":
    sys.exit(main())
