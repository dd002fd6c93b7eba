"""UUIDv7 ids (RFC 9562), which Python 3.11's ``uuid`` lacks: session ids and token jtis.

48 bits of Unix milliseconds, then a 12-bit counter, then 62 random bits.
Ids made by ``uuid7`` in one process are strictly increasing even within one
millisecond or when the clock steps back (RFC 9562 section 6.2, method 1), so
a tenant's ``tenant_sessions`` index sorts by creation time and a reverse
range read lists the newest first. Across processes, ids within the same
millisecond sort randomly -- the order of truly simultaneous creations.

``uuid7_at`` makes one for a given millisecond without touching that
sequence (a token jti that must sort after a revocation floor, a seeded
record with a fixed id); ``uuid7_ms`` reads the millisecond back.
"""

from __future__ import annotations

import secrets
import threading
import uuid
from datetime import datetime

from config.api import clock

_COUNTER_MAX = 0xFFF
_lock = threading.Lock()
_last_ms = -1
_counter = 0


def epoch_ms(at: datetime) -> int:
    """``at`` in whole Unix milliseconds (the resolution of a UUIDv7)."""
    return int(at.timestamp() * 1000)


def uuid7(now: datetime | None = None) -> uuid.UUID:
    """Return a new UUIDv7 for ``now`` (default: the API clock), after every earlier one."""
    global _last_ms, _counter
    ms = epoch_ms(now or clock.now())
    with _lock:
        if ms > _last_ms:
            _last_ms, _counter = ms, secrets.randbelow(_COUNTER_MAX // 2)  # room to count up
        else:
            _counter += 1
            if _counter > _COUNTER_MAX:  # 2048+ ids in one millisecond: borrow the next
                _last_ms, _counter = _last_ms + 1, 0
        ms, counter = _last_ms, _counter
    return _build(ms, counter, secrets.randbits(62))


def uuid7_at(ms: int, *, entropy: int | None = None) -> uuid.UUID:
    """Return a UUIDv7 whose timestamp is ``ms``; its other 74 bits are random, or
    taken from ``entropy`` (the same ``ms`` and ``entropy`` give the same id)."""
    bits = secrets.randbits(74) if entropy is None else entropy & ((1 << 74) - 1)
    return _build(ms, bits >> 62, bits & ((1 << 62) - 1))


def uuid7_ms(value: uuid.UUID) -> int:
    """The Unix millisecond a UUIDv7 carries."""
    return value.int >> 80


def is_uuid7(value: uuid.UUID) -> bool:
    return value.version == 7 and value.variant == uuid.RFC_4122


def _build(ms: int, counter: int, rand: int) -> uuid.UUID:
    value = (ms & (1 << 48) - 1) << 80 | 0x7 << 76 | counter << 64
    return uuid.UUID(int=value | 0b10 << 62 | rand)
