"""The WSGI bridge (config/bridge.py) and router (config/router.py), in process.

Each test drives the ASGI application directly with a scripted ``receive``
and a recording ``send``: the answers the bridge makes itself (413, 503 on
overload and on timeout) carry the same envelope and headers as Django's own,
large bodies stream into Django as it reads them, streaming responses go out
chunk by chunk, and the router sends mounted prefixes to their app.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import threading
import time

from django.core.wsgi import get_wsgi_application

from config.bridge import (
    BUFFER_BYTES,
    READ_AHEAD_BYTES,
    StreamInput,
    WSGIBridge,
    build_environ,
)
from config.router import Router

SECURITY = {
    b"x-content-type-options",
    b"x-frame-options",
    b"referrer-policy",
    b"cross-origin-opener-policy",
    b"strict-transport-security",
    b"vary",
}


def scope(path: str = "/api/v5/health", method: str = "GET", headers=(), **extra) -> dict:
    base = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "https",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8080),
    }
    base.update(extra)
    return base


def drive(app, sc: dict, chunks: list[bytes] = ()) -> list[dict]:
    """Run ``app`` on one request; return every message it sent."""
    incoming = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ] or [{"type": "http.request", "body": b"", "more_body": False}]
    sent: list[dict] = []

    async def receive():
        if incoming:
            return incoming.pop(0)
        await asyncio.sleep(3600)

    async def send(message):
        sent.append(message)

    asyncio.run(app(sc, receive, send))
    return sent


def answer(sent: list[dict]) -> tuple[int, dict[bytes, bytes], bytes]:
    start = sent[0]
    assert start["type"] == "http.response.start"
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], dict(start["headers"]), body


def bridge(app=None, **kwargs) -> WSGIBridge:
    options = {"threads": 2, "timeout_s": 5, "max_body": 1024 * 1024, "max_pending": 8}
    options.update(kwargs)
    return WSGIBridge(app or get_wsgi_application(), **options)


def security(headers: dict[bytes, bytes]) -> dict[bytes, bytes]:
    return {k: v for k, v in headers.items() if k in SECURITY}


def test_a_413_from_the_bridge_looks_like_djangos_own_answers():
    app = bridge(max_body=4096)
    status, django_headers, body = answer(drive(app, scope("/api/v5/no-such-path")))
    assert status == 404 and json.loads(body)["error"]["code"] == "not_found"

    big = scope(
        "/api/v5/sessions",
        "POST",
        [(b"content-length", b"5000"), (b"x-request-id", b"too-big-1")],
    )
    status, headers, body = answer(drive(app, big))
    assert status == 413
    assert json.loads(body) == {
        "success": False,
        "error": {
            "code": "payload_too_large",
            "message": "The request body is larger than 4096 bytes.",
        },
    }
    assert headers[b"content-type"] == b"application/json"
    assert headers[b"x-request-id"] == b"too-big-1"
    assert security(headers) == security(django_headers)
    assert b"strict-transport-security" in headers  # https: HSTS, as Django sends it


def test_a_request_past_the_timeout_is_a_503_envelope_and_its_thread_finishes_later():
    finished = threading.Event()

    def slow(environ, start_response):
        time.sleep(0.6)
        finished.set()
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"late"]

    app = bridge(slow, timeout_s=0.2)
    started = time.monotonic()
    status, headers, body = answer(drive(app, scope(headers=[(b"x-request-id", b"slow-1")])))
    assert time.monotonic() - started < 0.55
    assert status == 503
    assert json.loads(body)["error"]["code"] == "request_timeout"
    assert headers[b"retry-after"] == b"1"
    assert headers[b"x-request-id"] == b"slow-1"
    assert headers[b"x-frame-options"] == b"DENY"
    assert finished.wait(2)


def test_a_worker_with_too_many_requests_waiting_answers_503_at_once():
    release = threading.Event()

    def blocked(environ, start_response):
        release.wait(5)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    app = bridge(blocked, threads=1, max_pending=1)

    async def two_at_once():
        sent_first: list[dict] = []
        sent_second: list[dict] = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def rec(box, message):
            box.append(message)

        first = asyncio.create_task(app(scope(), receive, lambda m: rec(sent_first, m)))
        await asyncio.sleep(0.05)
        await app(scope(), receive, lambda m: rec(sent_second, m))
        release.set()
        await first
        return sent_first, sent_second

    first, second = asyncio.run(two_at_once())
    assert answer(first)[0] == 200
    status, headers, body = answer(second)
    assert status == 503
    assert json.loads(body)["error"]["code"] == "overloaded"
    assert headers[b"retry-after"] == b"1"


def test_a_large_body_streams_into_the_app_as_it_reads(monkeypatch):
    seen = {}
    gathers: list[int] = []
    gather = StreamInput._gather

    async def counted(self, want):
        gathers.append(want)
        return await gather(self, want)

    monkeypatch.setattr(StreamInput, "_gather", counted)

    def digest(environ, start_response):
        stream = environ["wsgi.input"]
        seen["buffered"] = not hasattr(stream, "_pull")
        hasher, total = hashlib.sha256(), 0
        while chunk := stream.read(65536):
            hasher.update(chunk)
            total += len(chunk)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [f"{total} {hasher.hexdigest()}".encode()]

    chunks = [bytes([i]) * 100_000 for i in range(12)]  # 1.2 MB in 12 messages
    data = b"".join(chunks)
    sc = scope("/upload", "PUT", [(b"content-length", str(len(data)).encode())])
    status, _, body = answer(drive(bridge(digest, max_body=4 * 1024 * 1024), sc, chunks))
    assert status == 200
    assert body.decode() == f"{len(data)} {hashlib.sha256(data).hexdigest()}"
    assert seen["buffered"] is False and len(data) > BUFFER_BYTES
    # 64 KiB reads of the 0.9 MB left after the buffered start: one hop gathers it all.
    assert gathers == [READ_AHEAD_BYTES]


def test_a_large_body_arrives_whole_however_the_app_reads_it():
    chunks = [bytes([i % 251]) * 70_000 for i in range(40)]  # 2.8 MB in 40 messages
    data = b"".join(chunks)
    got = {}

    def reader(environ, start_response):
        stream = environ["wsgi.input"]
        parts = [stream.read(5), stream.readline(), stream.read(3_000_000 - 10)]
        got["data"] = b"".join(parts)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    sc = scope("/upload", "PUT", [(b"content-length", str(len(data)).encode())])
    status, _, _ = answer(drive(bridge(reader, max_body=4 * 1024 * 1024), sc, chunks))
    assert status == 200 and got["data"] == data


def test_a_streaming_response_goes_out_chunk_by_chunk_and_is_closed():
    closed = threading.Event()

    class Stream:
        streaming = True

        def __iter__(self):
            yield from (b"one\n", b"two\n", b"three\n")

        def close(self):
            closed.set()

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return Stream()

    sent = drive(bridge(app), scope())
    bodies = [m["body"] for m in sent[1:] if m["body"]]
    assert bodies == [b"one\n", b"two\n", b"three\n"]
    assert sent[-1] == {"type": "http.response.body", "body": b""}
    assert closed.is_set()


class SlowStream:
    """A streaming body whose reads take ``read_s`` each and must never overlap."""

    streaming = True

    def __init__(self, pieces: int, read_s: float) -> None:
        self.pieces, self.read_s = pieces, read_s
        self.busy = threading.Lock()
        self.events: list[tuple[str, float]] = []
        self.closed = threading.Event()

    def __iter__(self):
        for n in range(self.pieces):
            assert self.busy.acquire(blocking=False), "two reads at once"
            self.events.append(("read", time.monotonic()))
            time.sleep(self.read_s)
            self.busy.release()
            yield bytes([n]) * 10

    def close(self):
        assert self.busy.acquire(blocking=False), "closed during a read"
        self.events.append(("close", time.monotonic()))
        self.closed.set()


def test_a_streaming_response_reads_the_next_chunk_while_the_last_is_sent():
    stream = SlowStream(pieces=4, read_s=0.05)

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return stream

    sent_at: list[float] = []

    async def run():
        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            if message.get("body"):
                sent_at.append(time.monotonic())
                await asyncio.sleep(0.1)  # a slow client: the next read overlaps this

        await bridge(app)(scope(), receive, send)

    started = time.monotonic()
    asyncio.run(run())
    reads = [at for kind, at in stream.events if kind == "read"]
    assert len(reads) == 4 and stream.events[-1][0] == "close"
    for n in range(1, 4):  # read n began while chunk n - 1 was being sent
        assert sent_at[n - 1] <= reads[n] < sent_at[n - 1] + 0.1
    # Sends (0.4 s) and reads (0.2 s) overlap: sequential would take 0.6 s.
    assert time.monotonic() - started < 0.55


def test_a_stream_cancelled_mid_read_is_closed_only_after_that_read_ends():
    stream = SlowStream(pieces=5, read_s=0.2)

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return stream

    async def run():
        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            pass

        task = asyncio.create_task(bridge(app)(scope(), receive, send))
        await asyncio.sleep(0.3)  # the second read is in flight
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    asyncio.run(run())
    assert stream.closed.wait(2)
    kinds = [kind for kind, _ in stream.events]
    assert kinds == ["read", "read", "close"]


def test_the_environ_keeps_the_raw_path_and_drops_headers_with_underscores():
    sc = scope(
        "/api/v5/caf\u00e9",
        headers=[
            (b"x-forwarded-proto", b"https"),
            (b"x_forwarded_proto", b"spoofed"),
            (b"accept", b"a"),
            (b"accept", b"b"),
        ],
        raw_path=b"/api/v5/caf%C3%A9",
        query_string=b"q=1",
    )
    environ = build_environ(sc, None)
    assert environ["PATH_INFO"] == "/api/v5/caf\u00c3\u00a9"  # UTF-8 bytes as latin-1 (PEP 3333)
    assert environ["QUERY_STRING"] == "q=1"
    assert environ["HTTP_X_FORWARDED_PROTO"] == "https"
    assert environ["HTTP_ACCEPT"] == "a,b"
    assert environ["wsgi.url_scheme"] == "https"


def test_the_router_sends_a_mounted_prefix_to_its_app_and_the_rest_to_django():
    calls = []

    async def mounted(sc, receive, send):
        calls.append((sc["root_path"], sc["path"]))
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"mounted"})

    async def django(sc, receive, send):
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    import sys
    import types

    module = types.ModuleType("tests_bridge_mounted")
    module.app = mounted
    sys.modules["tests_bridge_mounted"] = module
    router = Router(django, lambda: {"/api/v5/mcp": "tests_bridge_mounted.app"})

    status, headers, body = answer(drive(router, scope("/api/v5/mcp/messages")))
    assert (status, body) == (200, b"mounted")
    assert headers[b"x-content-type-options"] == b"nosniff" and b"x-request-id" in headers
    assert answer(drive(router, scope("/api/v5/mcp")))[0] == 200
    assert answer(drive(router, scope("/api/v5/mcpx")))[0] == 204
    assert answer(drive(router, scope("/api/v5/health")))[0] == 204
    assert calls == [("/api/v5/mcp", "/api/v5/mcp/messages"), ("/api/v5/mcp", "/api/v5/mcp")]


def test_a_client_leaving_mid_body_is_an_oserror_for_the_reader():
    got = {}

    def reader(environ, start_response):
        stream, parts = environ["wsgi.input"], []
        try:
            while piece := stream.read(65536):
                parts.append(piece)
        except OSError as exc:
            got["error"] = str(exc)
        got["size"] = sum(map(len, parts))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    messages = [{"type": "http.request", "body": b"x" * 100_000, "more_body": True}] * 5
    messages.append({"type": "http.disconnect"})

    async def run():
        async def receive():
            return messages.pop(0)

        async def send(message):
            pass

        sc = scope("/upload", "PUT", [(b"content-length", b"2000000")])
        await bridge(reader, max_body=4 * 1024 * 1024)(sc, receive, send)

    asyncio.run(run())
    assert got["error"] == "the client disconnected while sending the body"
    assert 0 < got["size"] < 500_000  # the upload is over: what was left buffered is moot
