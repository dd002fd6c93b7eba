"""What the ASGI layer adds to answers Django never sees, so they match Django's.

The bridge (``config.bridge``) answers some requests itself: 413 for a body over
``SERVER_MAX_BODY_BYTES``, 503 when a worker is overloaded or a request runs
past ``SERVER_REQUEST_TIMEOUT``, 500 if the bridge itself fails. Mounted ASGI
apps (``config.router``) answer their own paths. Both go out with what Django's
middleware puts on every response: the error envelope, ``X-Request-ID``, the
security headers (``SecurityMiddleware``, ``XFrameOptionsMiddleware``), CORS for
an allowed origin, and one request log line (``config.middleware``'s fields).
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterable

from django.conf import settings

from config.api.envelope import error_body
from config.middleware import _SAFE_ID, REQUEST_ID_HEADER, new_request_id

logger = logging.getLogger("coditect.request")

Headers = list[tuple[bytes, bytes]]
_REQUEST_ID = REQUEST_ID_HEADER.lower().encode()


def header(scope: dict, name: bytes) -> bytes | None:
    """The first value of the lower-case header ``name`` in an ASGI scope."""
    for key, value in scope["headers"]:
        if key == name:
            return value
    return None


def request_id(scope: dict) -> str:
    """The caller's ``X-Request-ID`` if it is a safe token, else a new one."""
    raw = header(scope, b"x-request-id")
    incoming = raw.decode("latin-1") if raw else ""
    return incoming if _SAFE_ID.match(incoming) else new_request_id()


def is_secure(scope: dict) -> bool:
    """``request.is_secure()``: https, or the trusted proxy header says so."""
    proxy = settings.SECURE_PROXY_SSL_HEADER
    if proxy:
        name, expected = proxy
        value = header(scope, name[5:].lower().replace("_", "-").encode())
        if value is not None:
            return value.decode("latin-1").split(",")[0].strip() == expected
    return scope.get("scheme") == "https"


def security_headers(secure: bool) -> Headers:
    """The headers Django's security middleware puts on every response."""
    out: Headers = []
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        out.append((b"x-content-type-options", b"nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        policy = settings.SECURE_REFERRER_POLICY
        if not isinstance(policy, str):
            policy = ",".join(policy)
        out.append((b"referrer-policy", policy.encode()))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        coop = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY.encode()
        out.append((b"cross-origin-opener-policy", coop))
    out.append((b"x-frame-options", getattr(settings, "X_FRAME_OPTIONS", "DENY").encode()))
    if secure and settings.SECURE_HSTS_SECONDS:
        value = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            value += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            value += "; preload"
        out.append((b"strict-transport-security", value.encode()))
    return out


def cors_headers(scope: dict) -> Headers:
    """django-cors-headers' answer headers for an allowed ``Origin`` under its paths."""
    if not re.match(settings.CORS_URLS_REGEX, scope["path"]):
        return []
    out: Headers = [(b"vary", b"origin")]
    raw = header(scope, b"origin")
    if raw is None:
        return out
    origin = raw.decode("latin-1")
    allowed = getattr(settings, "CORS_ALLOW_ALL_ORIGINS", False)
    if not allowed and origin not in settings.CORS_ALLOWED_ORIGINS:
        return out
    out.append((b"access-control-allow-origin", raw))
    exposed = getattr(settings, "CORS_EXPOSE_HEADERS", ())
    if exposed:
        out.append((b"access-control-expose-headers", ", ".join(exposed).encode()))
    return out


def decorate(scope: dict, headers: Iterable[tuple[bytes, bytes]], rid: str) -> Headers:
    """``headers`` plus X-Request-ID, security and CORS headers it does not already have."""
    out = list(headers)
    present = {name.lower() for name, _ in out}
    extra = [(_REQUEST_ID, rid.encode()), *security_headers(is_secure(scope)), *cors_headers(scope)]
    out += [(name, value) for name, value in extra if name not in present]
    return out


def error_response(
    scope: dict, status: int, code: str, message: str, rid: str, *, retry_after: int | None = None
) -> tuple[Headers, bytes]:
    """The envelope body and full headers of an error the ASGI layer makes itself."""
    body = json.dumps(error_body(code, message), separators=(",", ":")).encode()
    headers: Headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    if retry_after is not None:
        headers.append((b"retry-after", str(retry_after).encode()))
    return decorate(scope, headers, rid), body


async def send_error(
    scope: dict,
    send,
    status: int,
    code: str,
    message: str,
    rid: str,
    started: float,
    *,
    retry_after: int | None = None,
) -> None:
    headers, body = error_response(scope, status, code, message, rid, retry_after=retry_after)
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
    log_request(scope, status, rid, started)


def log_request(scope: dict, status: int, rid: str, started: float) -> None:
    """The request log line of ``config.middleware``, for a request Django did not serve."""
    duration_ms = round((time.perf_counter() - started) * 1000, 2)
    method, path = scope.get("method", "-"), scope.get("path", "")
    fields = {
        "request_id": rid,
        "method": method,
        "path": path,
        "status": status,
        "duration_ms": duration_ms,
        "tenant_id": None,
    }
    level = logging.ERROR if status >= 500 else logging.INFO
    logger.log(
        level,
        "%s %s %s %.2fms request_id=%s tenant=-",
        method,
        path,
        status,
        duration_ms,
        rid,
        extra=fields,
    )
