"""Workspace files over HTTP against a floor: MB/s, small-file requests/s, worker RSS.

    .venv/bin/python -m bench.files_bench [--big-mib 50] [--seconds 3] [--threads 4]

The project is the production server (``python -m config.server``, granian,
``--workers`` workers) on an embedded store of its own; the floor is bare
Django under gunicorn (the same number of sync workers) answering
``FileResponse`` from the local disk and streaming a PUT body to disk
(``bench/files_floor``). Each row runs the same transfers against both:

- upload / download of a 1 MiB and a ``--big-mib`` MiB file, sequential, one
  connection each, timed end to end (best of ``--repeat``);
- 4 KiB reads: ``--threads`` keep-alive clients, requests/s (the better of two
  runs of ``--seconds`` / 2).

Files of up to 1 MiB come from each worker's blob cache after its first read
of them (``FDBSTORE_BLOB_CACHE_BYTES``, passed through like
``FDBSTORE_MMAP_BYTES``; set it to 0 to time the store's read path instead).

The two servers take turns at every transfer (floor, project, floor, ...): on
this shared 2-core machine speed drifts by tens of percent within a minute,
and turns expose both to the same drift.

During the big transfers a sampler reads every worker's VmRSS each 20 ms; the
report gives each server's largest worker before and at its peak. Targets
(issue 11): download >= 0.5 of the floor, upload >= 0.3, 4 KiB reads >= 0.5.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench.servers import Server, production_server, start_server
from fdbstore.conf import DEFAULTS

MIB = 1024 * 1024
PIECE = 1024 * 1024


@dataclass
class Target:
    name: str
    server: Server
    prefix: str  # URL prefix of the files
    headers: dict[str, str]


# The store's read settings pass through, so that each can be compared off (0)
# and on: the memory map, and the blob cache that serves files of up to 1 MiB
# after a worker's first read of them (docs/STORE.md). Unset, the store's default.
PASSED_THROUGH = {
    "FDBSTORE_MMAP_BYTES": "MMAP_BYTES",
    "FDBSTORE_BLOB_CACHE_BYTES": "BLOB_CACHE_BYTES",
}


def project_server(store: Path, logs: Path, workers: int) -> Server:
    return production_server(store, logs, workers, **store_reads())


def store_reads() -> dict[str, str]:
    return {name: os.environ.get(name, str(DEFAULTS[key])) for name, key in PASSED_THROUGH.items()}


def floor_server(folder: Path, logs: Path, workers: int) -> Server:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "bench.files_floor.settings",
        "FILES_FLOOR_DIR": str(folder),
    }
    app = "bench.files_floor.wsgi:application"
    args = ["--workers", str(workers), "--worker-class", "sync", "--timeout", "300"]

    def command(port: int) -> list[str]:
        return [sys.executable, "-m", "gunicorn", app, *args, "--bind", f"127.0.0.1:{port}"]

    return start_server("floor", command, workers, env, logs, ready_path="/ready")


def request(server: Server, method: str, path: str, body=None, headers=None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def project_target(server: Server) -> Target:
    email = f"bench-{secrets.token_hex(4)}@example.com"
    body = {
        "email": email,
        "password": "correct horse battery staple",
        "firstName": "B",
        "lastName": "B",
    }
    status, raw = request(
        server,
        "POST",
        "/api/v5/auth/register",
        json.dumps(body),
        {"Content-Type": "application/json"},
    )
    assert status == 201, raw
    headers = {"Authorization": f"Bearer {json.loads(raw)['data']['token']}"}
    json_headers = {**headers, "Content-Type": "application/json"}
    status, raw = request(
        server, "POST", "/api/v5/sessions", json.dumps({"name": "bench"}), json_headers
    )
    assert status == 201, raw
    return Target(
        "project", server, f"/api/v5/sessions/{json.loads(raw)['data']['id']}/files/", headers
    )


def upload(target: Target, name: str, size: int) -> float:
    """Seconds to PUT ``size`` bytes, sent 1 MiB at a time."""
    piece = b"\xa5" * PIECE
    conn = http.client.HTTPConnection("127.0.0.1", target.server.port, timeout=600)
    started = time.perf_counter()
    conn.putrequest("PUT", target.prefix + name)
    for key, value in {
        **target.headers,
        "Content-Length": str(size),
        "Content-Type": "application/octet-stream",
    }.items():
        conn.putheader(key, value)
    conn.endheaders()
    sent = 0
    while sent < size:
        chunk = piece[: min(PIECE, size - sent)]
        conn.send(chunk)
        sent += len(chunk)
    response = conn.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    assert response.status in (200, 201), (target.name, response.status)
    return elapsed


def download(target: Target, name: str, size: int) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", target.server.port, timeout=600)
    started = time.perf_counter()
    conn.request("GET", target.prefix + name, headers=target.headers)
    response = conn.getresponse()
    got = 0
    while piece := response.read(256 * 1024):
        got += len(piece)
    elapsed = time.perf_counter() - started
    conn.close()
    assert response.status == 200 and got == size, (target.name, response.status, got)
    return elapsed


def small_rps(target: Target, name: str, seconds: float, threads: int) -> float:
    stop = time.monotonic() + seconds
    counts = [0] * threads

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", target.server.port, timeout=60)
        while time.monotonic() < stop:
            conn.request("GET", target.prefix + name, headers=target.headers)
            response = conn.getresponse()
            response.read()
            assert response.status == 200
            counts[i] += 1
        conn.close()

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(counts) / (time.perf_counter() - started)


class RssSampler:
    """The largest resident set (KiB) any worker of ``server`` reaches while running:
    ``peak`` counts everything (VmRSS), ``peak_private`` leaves out the pages of
    mapped files (RssAnon): the embedded store maps its file, and the pages a
    download touches are the OS's page cache, shared and reclaimable."""

    def __init__(self, server: Server) -> None:
        self.server, self.peak, self.peak_private = server, 0, 0
        self._stop = threading.Event()
        self.before = max(server.worker_rss_kib().values(), default=0)
        self.before_private = max(server.worker_rss_kib("RssAnon").values(), default=0)
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, max(self.server.worker_rss_kib().values(), default=0))
            private = self.server.worker_rss_kib("RssAnon").values()
            self.peak_private = max(self.peak_private, max(private, default=0))
            time.sleep(0.02)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def measure(targets: list[Target], args: argparse.Namespace) -> list[dict[str, float]]:
    """The same transfers against every target, taken in turns (floor, project,
    floor, ...), so that a machine whose speed drifts treats them alike."""
    outs: list[dict[str, float]] = [{} for _ in targets]
    for label, size in (("1MiB", MIB), (f"{args.big_mib}MiB", args.big_mib * MIB)):
        big = size > MIB
        for kind, transfer in (("upload", upload), ("download", download)):
            samples: list[list[float]] = [[] for _ in targets]
            samplers = [RssSampler(target.server) for target in targets]
            for sampler in samplers:
                sampler.__enter__()
            try:
                for _ in range(args.repeat):
                    for target, rates in zip(targets, samples, strict=True):
                        rates.append(size / transfer(target, f"f{label}", size) / 1e6)
            finally:
                for sampler in samplers:
                    sampler.__exit__()
            for out, rates, sampler in zip(outs, samples, samplers, strict=True):
                out[f"{kind} {label} MB/s"] = max(rates)
                if big:
                    out.setdefault("rss before MiB", sampler.before / 1024)
                    out[f"rss peak {kind} MiB"] = sampler.peak / 1024
                    out.setdefault("rss private before MiB", sampler.before_private / 1024)
                    out[f"rss private peak {kind} MiB"] = sampler.peak_private / 1024
    for target in targets:
        upload(target, "small", 4096)
        small_rps(target, "small", 0.5, args.threads)  # warm every worker
    for _ in range(2):
        for target, out in zip(targets, outs, strict=True):
            rps = small_rps(target, "small", args.seconds / 2, args.threads)
            out["4KiB reads req/s"] = max(out.get("4KiB reads req/s", 0.0), rps)
    return outs


TARGETS = {"upload": 0.3, "download": 0.5, "4KiB": 0.5}


def report(
    project: dict[str, float], floor: dict[str, float], args: argparse.Namespace
) -> list[str]:
    lines = [
        f"files bench: {args.workers} workers each; project = config.server (granian) on an "
        f"embedded store, floor = gunicorn sync + FileResponse / streamed write to disk; "
        f"best of {args.repeat}; 4 KiB reads: {args.threads} keep-alive clients, "
        f"{args.seconds:g} s; project store reads: "
        + ", ".join(f"{name}={value}" for name, value in store_reads().items()),
        f"{'scenario':<24}{'project':>10}{'floor':>10}{'ratio':>8}{'target':>8}  verdict",
    ]
    for key, value in project.items():
        if key.startswith("rss"):
            continue
        kind = key.split()[0] if not key.startswith("4KiB") else "4KiB"
        ratio = value / floor[key]
        target = TARGETS[kind]
        verdict = "ok" if ratio >= target else "BELOW"
        lines.append(
            f"{key:<24}{value:>10.1f}{floor[key]:>10.1f}{ratio:>8.2f}{target:>8.1f}  {verdict}"
        )
    for name, figures in (("project", project), ("floor", floor)):
        lines.append(
            f"largest worker RSS ({name}): {figures['rss before MiB']:.0f} MiB before the "
            f"{args.big_mib} MiB transfers, peak {figures['rss peak upload MiB']:.0f} MiB "
            f"uploading, {figures['rss peak download MiB']:.0f} MiB downloading; private "
            f"(RssAnon) {figures['rss private before MiB']:.0f}, "
            f"{figures['rss private peak upload MiB']:.0f}, "
            f"{figures['rss private peak download MiB']:.0f} MiB"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--big-mib", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="files-bench-") as tmp:
        folder = Path(tmp)
        (folder / "floor").mkdir()
        servers: list[Server] = []
        try:
            floor = floor_server(folder / "floor", folder, args.workers)
            servers.append(floor)
            project = project_server(folder / "store.sqlite3", folder, args.workers)
            servers.append(project)
            results_floor, results_project = measure(
                [Target("floor", floor, "/f/", {}), project_target(project)], args
            )
        finally:
            for server in servers:
                server.stop()
    print("\n".join(report(results_project, results_floor, args)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
