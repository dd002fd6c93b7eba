"""The one clock the API reads, swappable in tests.

Code calls ``clock.now()``, never ``datetime.now()`` inline, so a test can
move time (token expiry, throttle windows, id ordering) with ``frozen``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta


def _system_now() -> datetime:
    return datetime.now(UTC)


_source: Callable[[], datetime] = _system_now


def now() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return _source()


class FrozenClock:
    """A clock that stands still until moved with ``tick``."""

    def __init__(self, at: datetime) -> None:
        self.current = at

    def __call__(self) -> datetime:
        return self.current

    def tick(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current


@contextmanager
def frozen(at: datetime) -> Iterator[FrozenClock]:
    """Make ``now()`` return ``at`` (and whatever ``tick`` moves it to) inside the block."""
    global _source
    fake = FrozenClock(at)
    saved, _source = _source, fake
    try:
        yield fake
    finally:
        _source = saved
