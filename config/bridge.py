"""Django's WSGI handler served from an ASGI server, through a thread pool.

Why not Django's own ASGI handler: it runs every middleware and view through
``sync_to_async``, one thread hop each, and measured slower than this bridge
(docs/BENCHMARKS.md, "Server"). Here each request costs one hop: the event loop
builds the WSGI environ, reads a small body, and hands the whole Django call to
a thread; the thread returns the status, headers and the joined body.

- **Bodies** up to ``BUFFER_BYTES`` are read in the event loop before a thread
  is taken (a slow client holds no thread); larger ones stream to Django
  through ``wsgi.input`` as it reads, never held whole in memory. A
  ``Content-Length`` above ``SERVER_MAX_BODY_BYTES`` is a 413 at once.
- **Streaming responses** (``StreamingHttpResponse``, ``FileResponse``) are
  pulled from their iterator in the pool, one chunk per hop, the next chunk
  read while the last is sent.
- **Overload**: more than ``max_pending`` requests waiting for or holding a
  thread is a 503 with ``Retry-After: 1``.
- **Timeouts**: a request still in Django after ``SERVER_REQUEST_TIMEOUT``
  seconds is answered 503 ``request_timeout``; its thread cannot be killed and
  finishes in the background (its own log line follows when it does).

Every answer the bridge makes itself carries the envelope, ``X-Request-ID``
and the security headers (``config.edge``). The pool is created on first use,
so in a pre-forking server each worker has its own, made after the fork.
"""

from __future__ import annotations

import asyncio
import io
import logging
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote_to_bytes

from config import edge
from config.threadpool import ThreadPool

logger = logging.getLogger("coditect.server")

BUFFER_BYTES = 256 * 1024  # bodies up to this are read before Django runs
READ_AHEAD_BYTES = 1024 * 1024  # a larger body comes to Django's thread this much per hop
FILE_BATCH_BYTES = 256 * 1024  # a FileResponse's 4 KiB blocks go out in batches this big
# Header name (bytes) -> WSGI environ key; None for names with "_" (dropped, as
# gunicorn and runserver drop them: X_Forwarded_Proto must not pass for X-Forwarded-Proto).
_KEYS: dict[bytes, str | None] = {
    b"content-type": "CONTENT_TYPE",
    b"content-length": "CONTENT_LENGTH",
}


def _environ_key(name: bytes) -> str | None:
    key = _KEYS.get(name)
    if key is None and name not in _KEYS:
        text = name.decode("latin-1")
        key = None if "_" in text else "HTTP_" + text.upper().replace("-", "_")
        if len(_KEYS) < 4096:
            _KEYS[name] = key
    return key


def build_environ(scope: dict, body: Any) -> dict[str, Any]:
    """The WSGI environ of an ASGI ``http`` scope (PEP 3333: str values in latin-1)."""
    raw_path = scope.get("raw_path")
    if raw_path:
        path = unquote_to_bytes(raw_path.split(b"?", 1)[0]).decode("latin-1")
    else:
        path = scope["path"].encode("utf-8").decode("latin-1")
    root = scope.get("root_path", "")
    if root:
        root = root.encode("utf-8").decode("latin-1")
        if path.startswith(root):
            path = path[len(root) :]
    server = scope.get("server") or ("localhost", 80)
    client = scope.get("client") or ("", 0)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": root,
        "PATH_INFO": path,
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": server[0],
        "SERVER_PORT": str(server[1]),
        "REMOTE_ADDR": client[0],
        "REMOTE_PORT": str(client[1]),
        "SERVER_PROTOCOL": "HTTP/" + scope.get("http_version", "1.1"),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in scope["headers"]:
        key = _environ_key(name)
        if key is None:
            continue
        text = value.decode("latin-1")
        if key in environ:
            text = environ[key] + ("; " if key == "HTTP_COOKIE" else ",") + text
        environ[key] = text
    return environ


class StreamInput(io.RawIOBase):
    """``wsgi.input`` for a large body: reads ASGI messages as Django asks for bytes.

    One hop to the event loop gathers messages until ``READ_AHEAD_BYTES`` (or
    what was asked, if more) are buffered: a 64 KiB reader of a big upload pays
    one hop per MiB, not one per message."""

    def __init__(self, loop: asyncio.AbstractEventLoop, receive: Callable, first: bytes) -> None:
        super().__init__()
        self._loop, self._receive = loop, receive
        self._buffer = bytearray(first)
        self._more = True

    def readable(self) -> bool:
        return True

    async def _gather(self, want: int) -> tuple[list[bytes], bool, bool]:
        """Receive until ``want`` bytes came or the body ended: (parts, more, disconnected)."""
        parts: list[bytes] = []
        got = 0
        while True:
            message = await self._receive()
            if message["type"] == "http.disconnect":
                return parts, False, True
            body = message.get("body", b"")
            parts.append(body)
            got += len(body)
            if not message.get("more_body", False):
                return parts, False, False
            if got >= want:
                return parts, True, False

    def _pull(self, size: int = 0) -> bool:
        if not self._more:
            return False
        want = max(size - len(self._buffer), READ_AHEAD_BYTES)
        future = asyncio.run_coroutine_threadsafe(self._gather(want), self._loop)
        parts, self._more, disconnected = future.result()
        for part in parts:
            self._buffer += part
        if disconnected:
            raise OSError("the client disconnected while sending the body")
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            while self._pull():
                pass
            size = len(self._buffer)
        while len(self._buffer) < size and self._pull(size):
            pass
        out = bytes(self._buffer[:size])
        del self._buffer[:size]
        return out

    def readline(self, size: int | None = -1) -> bytes:
        while b"\n" not in self._buffer and (size is None or size < 0 or len(self._buffer) < size):
            if not self._pull():
                break
        end = self._buffer.find(b"\n") + 1 or len(self._buffer)
        if size is not None and size >= 0:
            end = min(end, size)
        out = bytes(self._buffer[:end])
        del self._buffer[:end]
        return out


def _no_write(data: bytes) -> None:
    raise NotImplementedError("the bridge does not offer WSGI's write()")


def _close(result: Any) -> None:
    close = getattr(result, "close", None)
    if close is not None:
        close()


def _expire(future: asyncio.Future) -> None:
    if not future.done():
        future.cancel()


def _next_chunk(iterator: Iterator[bytes], batch: int) -> bytes | None:
    """The next chunk of a streaming response (several, up to ``batch`` bytes, for files)."""
    try:
        chunk = next(iterator)
    except StopIteration:
        return None
    if batch and len(chunk) < batch:
        parts = [chunk]
        size = len(chunk)
        for more in iterator:
            parts.append(more)
            size += len(more)
            if size >= batch:
                break
        chunk = b"".join(parts)
    return chunk


class WSGIBridge:
    """An ASGI application that runs ``wsgi_app`` in a thread pool."""

    def __init__(
        self,
        wsgi_app: Callable,
        *,
        threads: int,
        timeout_s: float,
        max_body: int,
        max_pending: int,
    ) -> None:
        self.app = wsgi_app
        self.threads = threads
        self.timeout_s = timeout_s
        self.max_body = max_body
        self.max_pending = max_pending
        self.pending = 0
        self.pool = ThreadPool(threads, "django", self._abandoned)

    def shutdown(self) -> None:
        self.pool.shutdown()

    def _abandoned(self, result: tuple[int, list, bytes, Any] | None) -> None:
        """A timed-out request finished after all (on the loop): release it."""
        self.pending -= 1
        if result is not None and result[3] is not None:
            self.pool.submit(_close, result[3])

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":  # websockets: Django serves none
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1000})
            return
        started = time.perf_counter()
        length = 0
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    length = 0  # Django treats it as empty, as under any WSGI server
                break
        if length > self.max_body:
            await edge.send_error(
                scope,
                send,
                413,
                "payload_too_large",
                f"The request body is larger than {self.max_body} bytes.",
                edge.request_id(scope),
                started,
            )
            return
        if self.pending >= self.max_pending:
            await edge.send_error(
                scope,
                send,
                503,
                "overloaded",
                "The server is busy; retry shortly.",
                edge.request_id(scope),
                started,
                retry_after=1,
            )
            return
        body = io.BytesIO() if length <= 0 else await self._body(receive, length)
        environ = build_environ(scope, body)
        loop = asyncio.get_running_loop()
        self.pending += 1
        future = self.pool.run(loop, self._call, environ)
        timer = loop.call_later(self.timeout_s, _expire, future)
        try:
            status, headers, content, stream = await future
        except asyncio.CancelledError:
            if not future.cancelled() or loop.time() < timer.when():
                timer.cancel()
                raise  # the server cancelled us (the client left, or shutdown)
            # Timed out: the thread keeps running; _abandoned releases it when done.
            await edge.send_error(
                scope,
                send,
                503,
                "request_timeout",
                f"The request took longer than {self.timeout_s:g} s.",
                edge.request_id(scope),
                started,
                retry_after=1,
            )
            return
        except Exception:
            timer.cancel()
            self.pending -= 1
            logger.exception("the WSGI bridge failed to run the request")
            await edge.send_error(
                scope,
                send,
                500,
                "internal_error",
                "An unexpected error occurred.",
                edge.request_id(scope),
                started,
            )
            return
        timer.cancel()
        self.pending -= 1
        await send({"type": "http.response.start", "status": status, "headers": headers})
        if stream is None:
            await send({"type": "http.response.body", "body": content})
        else:
            await self._stream(stream, send)

    async def _body(self, receive: Callable, length: int) -> io.RawIOBase | io.BytesIO:
        parts: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            parts.append(chunk)
            size += len(chunk)
            if not message.get("more_body", False):
                break
            if size >= BUFFER_BYTES and length > BUFFER_BYTES:
                return StreamInput(asyncio.get_running_loop(), receive, b"".join(parts))
        return io.BytesIO(b"".join(parts) if len(parts) != 1 else parts[0])

    def _call(self, environ: dict[str, Any]) -> tuple[int, list, bytes, Any]:
        """In a pool thread: run Django; return status, headers and body or stream."""
        state: list[Any] = []

        def start_response(status: str, headers: list, exc_info: Any = None) -> Callable:
            if exc_info is not None and state:
                raise exc_info[1].with_traceback(exc_info[2])
            state[:] = (status, headers)
            return _no_write

        result = self.app(environ, start_response)
        try:
            status, headers = state
            out = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]
            if getattr(result, "streaming", False):
                return int(status[:3]), out, b"", result
            content = b"".join(result)
        except BaseException:
            _close(result)
            raise
        _close(result)
        return int(status[:3]), out, content, None

    async def _stream(self, result: Any, send: Callable) -> None:
        loop = asyncio.get_running_loop()
        batch = FILE_BATCH_BYTES if getattr(result, "file_to_stream", None) is not None else 0
        iterator = iter(result)
        # One chunk ahead: the pool reads chunk n + 1 while chunk n goes out, and a
        # slow client still holds no thread (at most one read is in flight). The
        # read is shielded: if this task is cancelled, the read still ends before
        # the iterator is closed (a generator is not re-entrant).
        ahead = self.pool.run(loop, _next_chunk, iterator, batch)
        try:
            while True:
                chunk = await asyncio.shield(ahead)
                if chunk is None:
                    break
                ahead = self.pool.run(loop, _next_chunk, iterator, batch)
                if chunk:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        except OSError:
            logger.info("the client went away during a streamed response")
        finally:
            if not ahead.done():
                await asyncio.wait([ahead])
            if not ahead.cancelled():
                ahead.exception()  # retrieved: a read error after the client left is moot
            await asyncio.shield(self.pool.run(loop, _close, result))
