"""Throttles for login and register: per client address and per email.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (set from the
environment, ``THROTTLE_LOGIN_RATE`` and ``THROTTLE_REGISTER_RATE``), read at
request time so tests can change them. A rate is ``N/period`` with period
``s``, ``min``, ``hour`` or ``day`` (DRF's notation). Counters live in
fdbstore, so every worker and node counts against the same limit.
"""

from __future__ import annotations

import hashlib
import math

from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from config.api import clock
from config.api.counters import counters_hit, counters_purge
from fdbstore.connection import get_database
from fdbstore.purge import PurgeCount

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """Return ``(requests, seconds)`` for a rate such as ``"10/min"``."""
    try:
        count, period = rate.split("/")
        requests, seconds = int(count), _PERIODS[period.strip()[:1].lower()]
    except (ValueError, KeyError, AttributeError):
        raise ImproperlyConfigured(
            f"throttle rate {rate!r} must look like 10/min (periods: s, min, hour, day)"
        ) from None
    if requests < 1:
        raise ImproperlyConfigured(f"throttle rate {rate!r} must allow at least one request")
    return requests, seconds


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class AddressAndEmailThrottle(BaseThrottle):
    """Allow ``rate`` requests per window per client address and per email."""

    scope = ""

    def identities(self, request) -> list[str]:
        idents = [f"address:{_digest(self.get_ident(request) or 'unknown')}"]
        email = request.data.get("email") if isinstance(request.data, dict) else None
        if isinstance(email, str) and email.strip():
            idents.append(f"email:{_digest(email.strip().casefold())}")
        return idents

    def rate(self) -> str:
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def allow_request(self, request, view) -> bool:
        limit, period = parse_rate(self.rate())
        now = clock.now().timestamp()
        window = int(now // period) * period
        counts = counters_hit(
            get_database(), scope=self.scope, idents=self.identities(request), window=window
        )
        self.retry_after = max(1, math.ceil(window + period - now))
        return max(counts) <= limit

    def wait(self) -> float:
        return self.retry_after


class LoginThrottle(AddressAndEmailThrottle):
    scope = "login"


class RegisterThrottle(AddressAndEmailThrottle):
    scope = "register"


def throttle_counters_purge(*, dry_run: bool = False, batch_size: int | None = None) -> PurgeCount:
    """Clear the counters whose window has ended, in bounded batches.

    A window's length is its scope's period in the current rates. A scope no
    rate names any more, or a window that does not start on a multiple of its
    scope's period (the rate's period was changed since), is kept a day, the
    longest period there is."""
    now = clock.now().timestamp()
    periods = {}
    for scope, rate in api_settings.DEFAULT_THROTTLE_RATES.items():
        try:
            periods[scope] = parse_rate(rate)[1]
        except ImproperlyConfigured:
            continue

    def window_ended(scope: str, window: int) -> bool:
        period = periods.get(scope, _PERIODS["d"])
        if window % period:
            period = _PERIODS["d"]
        return window + period <= now

    return counters_purge(
        get_database(), window_ended=window_ended, dry_run=dry_run, size=batch_size
    )
