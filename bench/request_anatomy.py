"""Where a request's time goes, in-process: no HTTP, no gunicorn, no load generator.

    python -m bench.request_anatomy [--n 400]

Seeds a store (``bench.seed``, sizes 10), loads the project's WSGI handler in
this process and calls it with WSGI environs like gunicorn's, so the figures
are the Django + API cost of one request in CPU time of the calling thread
(``time.thread_time``: robust to the shared machine's other work; fsync waits
are not counted, and one wall-clock figure shows the durable commit): the
variants of a request take turns batch after batch (``--batches``), and each
figure is the median of its batch means. Then it switches pieces off or swaps
them for their minimal equivalent, one at a time, in this process only
(settings overrides and monkeypatches: the API's code is not edited), and
reports what each piece costs per request:

- store round trips per request (transactions, point/batched reads, range
  reads, commits), counted by wrapping the embedded backend's methods;
- middleware: the request log alone, and all middleware;
- authentication: the revocation read alone, and JWT decode + revocation;
- the DRF output serializer versus a plain function building the same dict;
- the envelope renderer versus ``json.dumps`` of the same envelope;
- the store calls alone (the selectors and services the views call);
- the floor's cost for the same request (``bench.floor``, in a child process).

The HTTP benchmark's ratio is (G + floor) / (G + project), G being what
gunicorn and the kernel add to every request; the script prints G's estimate
from the figures the harness measured if given ``--http-floor-rps``.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def environ(method: str, path: str, token: str = "", body: bytes = b"") -> dict:
    path_info, _, query = path.partition("?")
    env = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8080",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8080",
        "HTTP_ACCEPT": "application/json",
        "HTTP_USER_AGENT": "wrk",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if token:
        env["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    if body:
        env["CONTENT_TYPE"] = "application/json"
        env["CONTENT_LENGTH"] = str(len(body))
    return env


def call(app: Callable, method: str, path: str, token: str = "", body: bytes = b"") -> tuple:
    seen: dict[str, object] = {}

    def start_response(status: str, headers: list, exc_info=None) -> None:
        seen["status"] = int(status.split()[0])
        seen["headers"] = headers

    result = app(environ(method, path, token, body), start_response)
    try:
        payload = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return seen["status"], seen["headers"], payload


def per_request_us(
    fn: Callable[[], object],
    n: int,
    batches: int = 5,
    clock: Callable[[], float] = time.thread_time,
) -> float:
    """Median over ``batches`` of the mean time of ``n`` calls, in microseconds
    (CPU time of this thread by default)."""
    for _ in range(max(20, n // 10)):
        fn()
    figures = []
    for _ in range(batches):
        start = clock()
        for _ in range(n):
            fn()
        figures.append((clock() - start) / n * 1e6)
    return statistics.median(figures)


def interleaved(
    variants: dict[
        str, tuple[Callable[[], object], Callable[[], contextlib.AbstractContextManager]]
    ],
    n: int,
    batches: int,
) -> dict[str, float]:
    """Time ``n`` calls of each variant per batch, the variants taking turns batch
    after batch; return each one's median batch mean in CPU microseconds (this
    thread's CPU time: time spent descheduled by the shared machine's other work,
    or waiting on fsync, is not counted)."""
    for fn, context in variants.values():
        with context():
            for _ in range(max(10, n // 5)):
                fn()
    figures: dict[str, list[float]] = {key: [] for key in variants}
    for _ in range(batches):
        for key, (fn, context) in variants.items():
            with context():
                start = time.thread_time()
                for _ in range(n):
                    fn()
                figures[key].append((time.thread_time() - start) / n * 1e6)
    return {key: statistics.median(values) for key, values in figures.items()}


@contextlib.contextmanager
def patched(owner: object, name: str, value: object) -> Iterator[None]:
    original = getattr(owner, name)
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, original)


def floor_us(entries: list[dict], n: int) -> dict[str, float]:
    """Time the floor app for the same requests, in a child process (its own settings)."""
    path = ROOT / "var" / "bench" / "anatomy" / "floor_responses.json"
    path.write_text(json.dumps({"responses": entries}))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.floor.settings",
        "BENCH_FLOOR_RESPONSES": str(path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bench.request_anatomy", "--floor-child", "--n", str(n)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def floor_child(n: int) -> None:
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    app = WSGIHandler()
    entries = json.loads(Path(os.environ["BENCH_FLOOR_RESPONSES"]).read_text())["responses"]
    out = {}
    for entry in entries:
        token = entry["authorization"].removeprefix("Bearer ")
        body = base64.b64decode(entry.get("request_b64", ""))
        args = (entry["method"], entry["path"], token, body)
        status, _, _ = call(app, *args)
        assert status == entry["status"], (status, entry["path"])
        out[entry["name"]] = per_request_us(lambda args=args: call(app, *args), n)
    print(json.dumps(out))


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.request_anatomy")
    parser.add_argument("--n", type=int, default=300, help="calls per timed batch (scaled)")
    parser.add_argument("--batches", type=int, default=9, help="interleaved batches")
    parser.add_argument("--floor-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor_child:
        floor_child(args.n)
        return 0

    from bench import api_bench

    run_dir = ROOT / "var" / "bench" / "anatomy"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    bench_args = api_bench.parse_args(["--sizes", "10"])
    env = api_bench.project_env(run_dir / "store.sqlite3", bench_args)
    manifest = api_bench.python_json(["bench.seed", "--sizes", "10"], env, timeout=600)
    os.environ.update(env)
    os.environ["LOG_LEVEL"] = os.environ.get("LOG_LEVEL", "INFO")

    import django

    django.setup()
    import logging

    from django.core.handlers.wsgi import WSGIHandler
    from django.test import override_settings

    from fdbstore.backends import embedded
    from fdbstore.database import Database

    # The request log writes to stderr in production (one JSON line per request);
    # here it goes to /dev/null through the same handler and formatter.
    devnull = open(os.devnull, "w")  # noqa: SIM115 -- lives as long as the process
    for handler in logging.getLogger().handlers + logging.getLogger("coditect.request").handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(devnull)

    app = WSGIHandler()
    users = manifest["users"]

    def login(key: str) -> str:
        body = json.dumps({"email": users[key]["email"], "password": users[key]["password"]})
        status, _, raw = call(app, "POST", "/api/v5/auth/login", body=body.encode())
        assert status == 200, raw
        return json.loads(raw)["data"]["token"]

    token, writer = login("list"), login("create")
    sid = users["list"]["session_ids"][0]
    create_body = b'{"name":"Bench session","workspacePath":"/workspace/bench"}'
    scenarios = {
        "list": ("GET", "/api/v5/sessions", token, b""),
        "get": ("GET", f"/api/v5/sessions/{sid}", token, b""),
        "create": ("POST", "/api/v5/sessions", writer, create_body),
        "health": ("GET", "/api/v5/health", "", b""),
    }

    def run(name: str) -> tuple:
        return call(app, *scenarios[name])

    report: dict[str, dict] = {}
    entries = []
    for name in scenarios:
        status, headers, payload = run(name)
        assert 200 <= status < 300, (name, status, payload)
        method, path, tok, body = scenarios[name]
        entries.append(
            {
                "name": name,
                "method": method,
                "path": path,
                "authorization": f"Bearer {tok}" if tok else "",
                "status": status,
                "headers": [[k, v] for k, v in headers if k.lower() != "content-length"],
                "body_b64": base64.b64encode(payload).decode(),
                "request_b64": base64.b64encode(body).decode(),
            }
        )
        report[name] = {"bytes": len(payload)}

    # -- store round trips per request ------------------------------------------------
    counts: Counter[str] = Counter()

    def counting(label: str, original: Callable) -> Callable:
        def wrapper(*a, **k):
            counts[label] += 1
            return original(*a, **k)

        return wrapper

    wraps = [
        (Database, "transact", "transactions"),
        (embedded.EmbeddedTransaction, "_storage_get", "point/batched reads"),
        (embedded.EmbeddedTransaction, "_storage_range", "range reads"),
        (embedded.EmbeddedTransaction, "_storage_commit", "commits with writes"),
    ]
    with contextlib.ExitStack() as stack:
        for owner, attr, label in wraps:
            stack.enter_context(patched(owner, attr, counting(label, getattr(owner, attr))))
        for name in scenarios:
            counts.clear()
            for _ in range(10):
                run(name)
            report[name]["store"] = {k: v / 10 for k, v in counts.items()}

    # -- timings: variants interleaved batch by batch (A B C D E A B C D E ...) --------
    # so that the shared machine's load drifts over all of them alike.
    from django.conf import settings

    import accounts.authentication as authn
    from accounts.tokens import ApiAccessToken

    without_log = [m for m in settings.MIDDLEWARE if "RequestLogMiddleware" not in m]
    with override_settings(MIDDLEWARE=without_log):
        app_nolog = WSGIHandler()  # the middleware chain is built here, once
    with override_settings(MIDDLEWARE=[]):
        app_bare = WSGIHandler()

    principal = ApiAccessToken(token.encode()).principal()
    writer_principal = ApiAccessToken(writer.encode()).principal()

    def fixed_user(self, request):
        """A fixed principal instead of decoding and verifying the JWT and the revocation read."""
        auth = request.META.get("HTTP_AUTHORIZATION", "")
        return (writer_principal if writer in auth else principal), None

    def no_revocation() -> contextlib.AbstractContextManager:
        return patched(authn, "token_is_revoked", lambda **_: False)

    def no_auth() -> contextlib.AbstractContextManager:
        return patched(authn.BearerTokenAuthentication, "authenticate", fixed_user)

    batch_n = max(10, args.n // 6)
    for name, request in scenarios.items():
        variants: dict[str, tuple[Callable, Callable]] = {
            "project_us": (app, contextlib.nullcontext),
            "no_request_log_us": (app_nolog, contextlib.nullcontext),
            "no_middleware_us": (app_bare, contextlib.nullcontext),
        }
        if name != "health":
            variants["no_revocation_us"] = (app, no_revocation)
            variants["no_auth_us"] = (app, no_auth)
        timed = {
            key: (lambda handler=handler, request=request: call(handler, *request), context)
            for key, (handler, context) in variants.items()
        }
        report[name].update(interleaved(timed, batch_n, args.batches))

    # -- pieces, called directly ----------------------------------------------------------
    from config.api.envelope import EnvelopeRenderer, success_body
    from sessions_api.selectors import session_get, session_list
    from sessions_api.serializers import SessionSerializer

    page = session_list(tenant_id=principal.tenant_id, limit=20)
    one = session_get(tenant_id=principal.tenant_id, session_id=sid)

    def plain(s) -> dict:
        return {
            "id": str(s.id),
            "tenantId": str(s.tenant_id),
            "userId": str(s.user_id),
            "name": s.name,
            "workspacePath": s.workspace_path,
            "createdAt": _iso(s.created_at),
            "updatedAt": _iso(s.updated_at),
        }

    drf_list = SessionSerializer(page.items, many=True).data
    import jwt as pyjwt
    from django.urls import resolve

    from accounts.selectors import token_is_revoked
    from config.logging import REQUEST_FIELDS, JsonFormatter

    formatter = JsonFormatter()
    record = logging.LogRecord(
        "coditect.request", logging.INFO, __file__, 0, "%s %s %s %.2fms request_id=%s tenant=%s",
        ("GET", "/api/v5/sessions", 200, 1.23, "d179d1e10b6c4880a43a333ba4b88757",
         str(principal.tenant_id)), None,
    )  # fmt: skip
    record.__dict__.update(
        request_id="d179d1e10b6c4880a43a333ba4b88757",
        method="GET",
        path="/api/v5/sessions",
        status=200,
        duration_ms=1.23,
        tenant_id=str(principal.tenant_id),
    )
    raw_token = token.encode()
    secret = settings.SIMPLE_JWT["SIGNING_KEY"]
    pieces = {
        "request log line: JsonFormatter.format (with redact)": lambda: formatter.format(record),
        "request log line: the same JSON without redact()": lambda: json.dumps(
            {
                "ts": datetime.fromtimestamp(record.created, UTC).isoformat(
                    timespec="milliseconds"
                ),
                "level": record.levelname,
                "logger": record.name,
                "message": record.getMessage(),
                "pid": record.process,
                **{field: getattr(record, field) for field in REQUEST_FIELDS},
            },
            default=str,
        ),
        "auth: ApiAccessToken(raw).principal() (simplejwt)": lambda: ApiAccessToken(
            raw_token
        ).principal(),
        "auth: jwt.decode HS256 (PyJWT alone)": lambda: pyjwt.decode(
            raw_token, secret, algorithms=["HS256"], options={"require": ["exp", "iat", "sub"]}
        ),
        "auth: token_is_revoked (own transaction)": lambda: token_is_revoked(principal=principal),
        "URL resolve /api/v5/sessions": lambda: resolve("/api/v5/sessions"),
        "URL resolve /api/v5/sessions/{id}": lambda: resolve(f"/api/v5/sessions/{sid}"),
        "URL resolve /api/v5/health": lambda: resolve("/api/v5/health"),
        "store: session_list (20)": lambda: session_list(tenant_id=principal.tenant_id, limit=20),
        "store: session_get": lambda: session_get(tenant_id=principal.tenant_id, session_id=sid),
        "DRF SessionSerializer, 20 sessions": lambda: SessionSerializer(page.items, many=True).data,
        "plain dict function, 20 sessions": lambda: [plain(s) for s in page.items],
        "DRF SessionSerializer, 1 session": lambda: SessionSerializer(one).data,
        "plain dict function, 1 session": lambda: plain(one),
        "EnvelopeRenderer, 20 sessions": lambda: EnvelopeRenderer().render(drf_list),
        "json.dumps(envelope), 20 sessions": lambda: json.dumps(
            success_body(drf_list, {"nextCursor": None, "limit": 20}),
            separators=(",", ":"),
            ensure_ascii=False,
        ).encode(),
    }
    piece_us = interleaved(
        {label: (fn, contextlib.nullcontext) for label, fn in pieces.items()},
        args.n // 2,
        args.batches,
    )
    same_fields = plain(one) == dict(SessionSerializer(one).data) and [
        plain(s) for s in page.items
    ] == [dict(d) for d in drf_list]

    # The create view's store write, a durable commit, timed alone.
    from accounts.records import Principal
    from sessions_api.services import session_create

    assert isinstance(writer_principal, Principal)
    create = lambda: session_create(principal=writer_principal, name="x", workspace_path="/w")  # noqa: E731
    piece_us["store: session_create, CPU"] = per_request_us(create, max(20, args.n // 10))
    piece_us["store: session_create, wall (durable commit: fsync)"] = per_request_us(
        create, max(20, args.n // 10), clock=time.perf_counter
    )

    floors = floor_us(entries, args.n)
    for name in scenarios:
        report[name]["floor_us"] = floors[name]

    print(json.dumps({"scenarios": report, "pieces": piece_us, "plain_same_fields": same_fields}))
    print_report(report, piece_us, same_fields)
    return 0


def _iso(value) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def print_report(report: dict, pieces: dict, same_fields: bool) -> None:
    out = sys.stderr
    print("\nIn-process CPU cost per request (µs, median of interleaved batches):", file=out)
    head = f"{'':10}{'project':>9}{'floor':>8}{'-reqlog':>9}{'-all mw':>9}"
    print(head + f"{'-revoc':>9}{'-auth':>9}   store round trips", file=out)
    for name, r in report.items():

        def cell(key: str, r=r) -> str:
            return f"{r[key]:9.0f}" if key in r else f"{'':>9}"

        print(
            f"{name:<10}{cell('project_us')}{r['floor_us']:8.0f}{cell('no_request_log_us')}"
            f"{cell('no_middleware_us')}{cell('no_revocation_us')}{cell('no_auth_us')}   "
            + ", ".join(f"{k} {v:g}" for k, v in sorted(r["store"].items())),
            file=out,
        )
    print("\nPieces called directly (CPU µs per call unless marked wall):", file=out)
    for label, us in pieces.items():
        print(f"  {label:<42} {us:9.1f}", file=out)
    print(f"  (the plain function's output equals the serializer's: {same_fields})", file=out)


if __name__ == "__main__":
    sys.exit(main())
