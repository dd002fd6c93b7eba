"""Profile the API's hot paths: py-spy on a real gunicorn worker under wrk load.

    python -m bench.profile_api [--duration 10] [--only list,get,create] [--rate 250]

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
from bench.servers import ROOT, ServerSettings, start_gunicorn
from bench.wrkrun import Request, WrkResult, run_wrk

# (component, regex on "function (file:line)" frames). Inclusive: a sample
# counts once for every component any frame of its stack matches.
COMPONENTS: list[tuple[str, str]] = [
    ("gunicorn (parse request, write response)", r"gunicorn/"),
    ("Django handler (WSGIRequest, get_response)", r"django/core/handlers/"),
    ("middleware: request log (config.middleware)", r"config/middleware\.py"),
    ("middleware: Django's (security, common, clickjacking)", r"django/middleware/"),
    ("logging (records, JSON formatter, handler write)", r"/logging/|config/logging\.py"),
    ("URL resolving", r"django/urls/"),
    ("DRF dispatch (APIView.dispatch/initial)", r"rest_framework/views\.py"),
    ("DRF Request wrapping / content negotiation", r"rest_framework/(request|negotiation)\.py"),
    ("authentication (all)", r"authenticat|rest_framework_simplejwt/"),
    ("JWT decode (PyJWT)", r"/jwt/"),
    ("revocation check", r"token_revocation|revok"),
    ("throttling", r"throttl"),
    ("permissions", r"permission"),
    (
        "settings lookups (DRF api_settings / django.conf)",
        r"rest_framework/settings\.py|django/conf/__init__\.py",
    ),
    (
        "serializers (DRF fields / serializers)",
        r"rest_framework/(serializers|fields|relations)\.py|serializers\.py",
    ),
    (
        "renderer (JSON encode)",
        r"rest_framework/renderers\.py|json/encoder|config/api/envelope\.py",
    ),
    ("store (fdbstore, all)", r"fdbstore/"),
    (
        "store: SQLite calls (execute/fetch/commit)",
        r"fdbstore/backends/embedded\.py:\d+\)?;?$|_storage_|sqlite3",
    ),
    ("store: record decode (codec)", r"fdbstore/codec\.py"),
    ("store: tuple layer pack/unpack", r"fdb/tuple\.py|subspace_impl"),
    ("store: commit", r"_storage_commit|\bcommit \("),
    ("UUIDs / time", r"/uuid\.py|datetime|clock\.py"),
]


@dataclass
class Profile:
    samples: int
    inclusive: dict[str, int]
    self_top: list[tuple[str, int]]
    frames_top: list[tuple[str, int]]


def parse_raw(path: Path) -> Profile:
    """Read py-spy's raw (collapsed) output: ``frame;frame;... count`` per line."""
    inclusive: collections.Counter[str] = collections.Counter()
    self_time: collections.Counter[str] = collections.Counter()
    frames: collections.Counter[str] = collections.Counter()
    compiled = [(name, re.compile(pattern)) for name, pattern in COMPONENTS]
    total = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        parts = stack.split(";")
        for name, pattern in compiled:
            if any(pattern.search(part) for part in parts):
                inclusive[name] += count
        self_time[_short(parts[-1])] += count
        for frame in {_short(part) for part in parts}:
            frames[frame] += count
    return Profile(total, dict(inclusive), self_time.most_common(25), frames.most_common(60))


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
    print("component (inclusive)                                   share    µs/request")
    for comp, _ in COMPONENTS:
        count = profile.inclusive.get(comp, 0)
        share = count / profile.samples if profile.samples else 0
        print(f"  {comp:<54} {share:6.1%} {share * per_request_us:10.0f}")
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
    args = parser.parse_args(argv)
    wanted = [s.strip() for s in args.only.split(",") if s.strip()]

    run_dir = ROOT / "var" / "bench" / "profile"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    bench_args = api_bench.parse_args(["--workers", "1", "--sizes", "10"])
    env = api_bench.project_env(run_dir / "store.sqlite3", bench_args)
    settings: ServerSettings = api_bench.server_settings(bench_args, env)
    manifest = api_bench.python_json(["bench.seed", "--sizes", "10"], env, timeout=600)
    scenarios = [s for s in api_bench.scenarios([10]) if s.name in wanted]
    project = start_gunicorn(
        "project",
        "config.wsgi:application",
        settings.project_args(),
        1,
        env,
        run_dir,
        ready_path=f"{api_bench.API}/health",
    )
    results = {}
    try:
        requests, _ = api_bench.build_requests(project.base_url, scenarios, manifest)
        (worker,) = project.worker_pids()
        print(f"profiling one {settings.worker_class} worker (pid {worker}); {settings.describe()}")
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
                "inclusive": profile.inclusive,
                "self_top": profile.self_top,
            }
    finally:
        project.stop()
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
