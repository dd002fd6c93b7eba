"""Request logging: one line per request, with a request id echoed to the client.

Outermost in ``MIDDLEWARE``, so its timing covers the whole stack and it sees
the final response. The id comes from the caller's ``X-Request-ID`` when that
is a sane token (so a load balancer's id follows the request), else a new one.
The principal is read after the view ran: DRF's authentication sets it on the
underlying ``HttpRequest.user``. The path is logged without its query string,
and no header or body is ever logged.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("coditect.request")

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def new_request_id() -> str:
    """32 random hex digits, as ``uuid4().hex`` was, without its system call.

    An id tells requests apart in logs; it guards nothing, so the ``random``
    module serves (reseeded in every forked worker, so workers never share a
    sequence) instead of ``os.urandom``, which leaves the GIL on every request.
    """
    return f"{random.getrandbits(128):032x}"


def request_id_for(request: HttpRequest) -> str:
    """Return the caller's request id if it is a safe token, else a new one."""
    # META directly: ``request.headers`` builds a dict of every header on first use.
    incoming = request.META.get("HTTP_X_REQUEST_ID", "")
    return incoming if _SAFE_ID.match(incoming) else new_request_id()


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 2)
        response[REQUEST_ID_HEADER] = request_id
        tenant = getattr(getattr(request, "user", None), "tenant_id", None)
        fields = {
            "request_id": request_id,
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "tenant_id": None if tenant is None else str(tenant),
        }
        level = logging.ERROR if response.status_code >= 500 else logging.INFO
        if logger.isEnabledFor(level):
            # The record is made here and handed over: Logger.log would also walk
            # the stack to find its caller, which no formatter of ours prints.
            record = logger.makeRecord(
                logger.name,
                level,
                __file__,
                0,
                "%s %s %s %.2fms request_id=%s tenant=%s",
                (
                    request.method,
                    request.path,
                    response.status_code,
                    duration_ms,
                    request_id,
                    fields["tenant_id"] or "-",
                ),
                None,
                extra=fields,
            )
            logger.handle(record)
        return response
