"""Profile the API's hot paths: py-spy on a real server worker under wrk load.

    python -m bench.profile_api [--duration 10] [--only list,get,create] [--rate 250]
                                [--server production] [--threads 4]

Seeds a store as the benchmark does (``bench.seed``), serves the project with
ONE worker (so that worker is saturated and every sample is request work),
drives one scenario at a time with wrk and samples that worker with
``py-spy record --format raw``. It then prints, per scenario, the share of
samples whose stack passes through each component (inclusive: a sample in
the store called from the view counts for both "view" and "store"), the
self-time leaders, and the microseconds per request those shares come to
(share x 1 / requests per second of the single worker).

Needs py-spy (``pip install -r bench/requirements-profile.txt``) and ptrace
rights over the worker (root, or CAP_SYS_PTRACE).
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from bench import api_bench
from bench.servers import KINDS, ROOT, ServerSettings, start_server
from bench.wrkrun import Request, WrkResult, run_wrk

# A partition: each sample goes to the first phase whose pattern matches any
# frame of its stack (innermost phases first), so the shares add up to 100%.
PHASES: list[tuple[str, str]] = [
    ("auth: revocation check (store read)", r"token_is_revoked|token_revocation"),
    ("auth: JWT decode + verify, principal", r"perform_authentication|Request\._authenticate"),
    ("throttling", r"check_throttles"),
    ("permissions", r"check_permissions"),
    ("view: store (fdbstore + SQLite)", r"fdbstore/"),
    ("view: serializers (fields, validation, output)", r"rest_framework/(serializers|fields)\.py"),
    ("render: envelope + JSON", r"renderers\.py|rendered_content|envelope\.py"),
    ("DRF: Request, negotiation, dispatch, view", r"rest_framework/|sessions_api/|accounts/"),
    ("URL resolving", r"django/urls/"),
]
# What is left is outside the view: named by its innermost frame of these.
OUTER: list[tuple[str, str]] = [
    (
        "middleware: request log + logging",
        r"(^|[(/])logging/|config/logging\.py|config/middleware\.py",
    ),
    ("middleware: WhiteNoise", r"whitenoise/"),
    ("middleware: CORS", r"corsheaders/"),
    ("middleware: Django's (security, clickjacking, common)", r"django/middleware/"),
    ("Django handler (request, response objects)", r"django/"),
    ("gunicorn (parse, write, close; outside Django)", r"gunicorn/"),
    ("ASGI bridge + router (config/bridge.py, router.py)", r"config/(bridge|router|edge)\.py"),
    ("asyncio event loop, thread pool hand-over", r"asyncio/|concurrent/futures/|threading\.py"),
    ("granian (Python side)", r"granian/"),
]
# Cross-cutting, inclusive: a sample counts if any frame matches.
CROSS: list[tuple[str, str]] = [
    (
        "settings lookups (api_settings, django.conf)",
        r"rest_framework/settings\.py|django/conf/__init__\.py",
    ),
    ("serializer field deepcopy (per instance)", r"deepcopy"),
    ("all store calls (incl. revocation)", r"fdbstore/"),
    ("  of which SQLite (embedded backend lines)", r"fdbstore/backends/embedded\.py[^;]*$"),
    ("  of which record decode (codec)", r"fdbstore/codec\.py"),
    ("  of which tuple layer pack/unpack", r"fdb/tuple\.py|subspace_impl"),
    ("logging (anywhere)", r"(^|[(/])logging/"),
    ("JSON encode (anywhere)", r"json/encoder"),
    ("socket write (gunicorn util.write, leaf)", r"gunicorn/util\.py:3\d\d\)$"),
]


@dataclass
class Profile:
    samples: int
    phases: dict[str, int]
    cross: dict[str, int]
    self_top: list[tuple[str, int]]
    frames_top: list[tuple[str, int]]


def parse_raw(path: Path) -> Profile:
    """Read py-spy's raw (collapsed) output: ``frame;frame;... count`` per line."""
    phases: collections.Counter[str] = collections.Counter()
    cross: collections.Counter[str] = collections.Counter()
    self_time: collections.Counter[str] = collections.Counter()
    frames: collections.Counter[str] = collections.Counter()
    phase_res = [(name, re.compile(pattern)) for name, pattern in PHASES]
    outer_res = [(name, re.compile(pattern)) for name, pattern in OUTER]
    cross_res = [(name, re.compile(pattern)) for name, pattern in CROSS]
    total = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        parts = stack.split(";")
        phases[_phase(parts, phase_res, outer_res)] += count
        for name, pattern in cross_res:
            if pattern.search(stack):
                cross[name] += count
        self_time[_short(parts[-1])] += count
        for frame in {_short(part) for part in parts}:
            frames[frame] += count
    return Profile(
        total, dict(phases), dict(cross), self_time.most_common(25), frames.most_common(60)
    )


def _phase(parts: list[str], phase_res: list, outer_res: list) -> str:
    for name, pattern in phase_res:
        if any(pattern.search(part) for part in parts):
            return name
    for part in reversed(parts):
        for name, pattern in outer_res:
            if pattern.search(part):
                return name
    return "other"


def _short(frame: str) -> str:
    frame = re.sub(r"\S*/site-packages/", "", frame)
    frame = re.sub(r"\S*/lib/python3\.\d+/", "", frame)
    return frame.replace(str(ROOT) + "/", "")


def profile_scenario(
    name: str,
    request: Request,
    base_url: str,
    worker_pid: int,
    out_dir: Path,
    *,
    duration: float,
    rate: int,
    connections: int,
) -> tuple[Profile, WrkResult]:
    run_wrk(base_url, request, duration_s=2, connections=connections, threads=1)  # warm-up
    holder: dict[str, WrkResult] = {}

    def load() -> None:
        holder["result"] = run_wrk(
            base_url, request, duration_s=duration + 2, connections=connections, threads=1
        )

    thread = threading.Thread(target=load)
    thread.start()
    raw = out_dir / f"profile-{name}.txt"
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    subprocess.run(
        [
            py_spy,
            "record",
            "--pid",
            str(worker_pid),
            "--rate",
            str(rate),
            "--duration",
            str(int(duration)),
            "--format",
            "raw",
            "--output",
            str(raw),
            "--nonblocking",
            "--gil",  # only the thread holding the GIL: idle pool threads are not work
        ],
        check=True,
        capture_output=True,
        timeout=duration + 60,
    )
    thread.join()
    return parse_raw(raw), holder["result"]


def print_profile(name: str, profile: Profile, result: WrkResult) -> None:
    per_request_us = 1e6 / result.rps if result.rps else float("nan")
    print(
        f"\n=== {name}: {result.rps:,.0f} req/s on one worker = {per_request_us:,.0f} µs "
        f"per request; {profile.samples} samples; non-2xx {result.non2xx}"
    )
    print(f"{'phase (partition, adds up to 100%)':<56} {'share':>6} {'µs/req':>8}")
    names = [n for n, _ in PHASES] + [n for n, _ in OUTER] + ["other"]
    for phase in names:
        share = profile.phases.get(phase, 0) / profile.samples if profile.samples else 0
        print(f"  {phase:<54} {share:6.1%} {share * per_request_us:8.0f}")
    print(f"{'cross-cutting (inclusive)':<56}")
    for label, _ in CROSS:
        share = profile.cross.get(label, 0) / profile.samples if profile.samples else 0
        print(f"  {label:<54} {share:6.1%} {share * per_request_us:8.0f}")
    print("self time, top 25 frames:")
    for frame, count in profile.self_top:
        print(f"  {count / profile.samples:6.1%}  {frame}")
    print("inclusive, top 60 frames:")
    for frame, count in profile.frames_top:
        print(f"  {count / profile.samples:6.1%}  {frame}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_api")
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--rate", type=int, default=250, help="py-spy samples per second")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--only", default="list,get,create")
    parser.add_argument("--json", dest="json_path")
    parser.add_argument("--server", default="production", choices=sorted(KINDS))
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
    wanted = [s.strip() for s in args.only.split(",") if s.strip()]

    run_dir = ROOT / "var" / "bench" / "profile"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    bench_args = api_bench.parse_args(
        ["--workers", "1", "--sizes", "10", "--server", args.server, "--threads", str(args.threads)]
    )
    env = api_bench.project_env(run_dir / "store.sqlite3", bench_args)
    settings: ServerSettings = api_bench.server_settings(bench_args)
    manifest = api_bench.python_json(["bench.seed", "--sizes", "10"], env, timeout=600)
    scenarios = [s for s in api_bench.scenarios([10]) if s.name in wanted]
    project = start_server(
        "project",
        settings.project_command,
        1,
        env,
        run_dir,
        ready_path=f"{api_bench.API}/health",
    )
    results = {}
    try:
        requests, _ = api_bench.build_requests(project.base_url, scenarios, manifest)
        (worker,) = project.worker_pids()
        print(f"profiling one worker (pid {worker}); {settings.describe()}")
        for scenario in scenarios:
            profile, result = profile_scenario(
                scenario.name,
                requests[scenario.name],
                project.base_url,
                worker,
                run_dir,
                duration=args.duration,
                rate=args.rate,
                connections=args.connections,
            )
            print_profile(scenario.label, profile, result)
            results[scenario.name] = {
                "rps": result.rps,
                "samples": profile.samples,
                "phases": profile.phases,
                "cross": profile.cross,
                "self_top": profile.self_top,
            }
    finally:
        project.stop()
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
