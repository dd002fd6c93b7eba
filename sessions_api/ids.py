"""UUIDv7 session ids (RFC 9562), which Python 3.11's ``uuid`` lacks.

48 bits of Unix milliseconds, then a 12-bit counter, then 62 random bits.
Ids made by one process are strictly increasing even within one millisecond
or when the clock steps back (RFC 9562 section 6.2, method 1), so a tenant's
``tenant_sessions`` index sorts by creation time and a reverse range read
lists the newest first. Across processes, ids within the same millisecond
sort randomly -- the order of truly simultaneous creations.
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


def uuid7(now: datetime | None = None) -> uuid.UUID:
    """Return a new UUIDv7 for ``now`` (default: the API clock)."""
    global _last_ms, _counter
    ms = int((now or clock.now()).timestamp() * 1000)
    with _lock:
        if ms > _last_ms:
            _last_ms, _counter = ms, secrets.randbelow(_COUNTER_MAX // 2)  # room to count up
        else:
            _counter += 1
            if _counter > _COUNTER_MAX:  # 2048+ ids in one millisecond: borrow the next
                _last_ms, _counter = _last_ms + 1, 0
        ms, counter = _last_ms, _counter
    value = (ms & (1 << 48) - 1) << 80 | 0x7 << 76 | counter << 64
    value |= 0b10 << 62 | secrets.randbits(62)
    return uuid.UUID(int=value)
