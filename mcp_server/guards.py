"""DNS-rebinding protection for the MCP endpoint, as the MCP specification asks.

A browser page on another origin must not reach the server through a
rebound DNS name: the ``Host`` must be one of Django's ``ALLOWED_HOSTS`` and
an ``Origin``, when sent, one of ``CORS_ALLOWED_ORIGINS``. A request without
``Origin`` (a desktop client, curl, an agent) is not a browser's and passes.
The origin list is used as it is even with ``DEBUG`` on (where REST's CORS
allows every origin): that is exactly the case rebinding attacks."""

from __future__ import annotations

from django.conf import settings
from django.http.request import split_domain_port, validate_host


def host_allowed(host: str | None) -> bool:
    if not host:
        return False
    domain, _port = split_domain_port(host)
    return bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)


def origin_allowed(origin: str | None) -> bool:
    if origin is None:
        return True
    return origin.lower().rstrip("/") in allowed_origins()


def allowed_origins() -> set[str]:
    return {origin.lower().rstrip("/") for origin in settings.CORS_ALLOWED_ORIGINS}
