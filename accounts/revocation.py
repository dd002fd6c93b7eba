"""Revoking every token of a user at once: the token floor.

A password change (and ``manage.py revoke_tokens``, and deleting a user)
raises the user's floor, ``token_floor/{user_id}``, an epoch millisecond.
A token is void when the millisecond its ``jti`` carries (a UUIDv7) is at or
before the floor. The rules that make this exact, with no dependence on the
clock's resolution:

- **Raising** sets the floor to ``now + FLOOR_MARGIN_MS``, and always above
  the previous floor, reading ``now`` inside the transaction after its first
  read. A FoundationDB transaction lives at most 5 s from its read version,
  so the floor is at or after the commit: every login that read the user
  before the change (old password, old floor) started before the floor, and
  its token is void.
- **Issuing** (login) reads the floor in the same batched read as the user,
  and gives the token a jti after it (``token_jti``): a login that saw the
  new password gets a live token even in the millisecond of the change, or
  in the margin after it.

Exact on one clock (one machine, the embedded store). Across API nodes the
margin also absorbs clock skew, up to 5 s less the change's commit time;
keep node clocks synchronised (NTP) as FoundationDB itself expects.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from accounts.repositories import token_floor_get, token_floor_set
from config.api import clock
from config.api.ids import epoch_ms, uuid7_at, uuid7_ms
from fdbstore.limits import TRANSACTION_TIME_LIMIT_S
from fdbstore.transaction import Transaction

FLOOR_MARGIN_MS = int(TRANSACTION_TIME_LIMIT_S * 1000)


def floor_raise(tr: Transaction, *, user_id: uuid.UUID) -> int:
    """Void every token ``user_id`` holds or is being issued; return the new floor.

    Safe to retry: a retry reads its own floor and goes one millisecond higher."""
    previous = token_floor_get(tr, user_id=user_id)
    floor = epoch_ms(clock.now()) + FLOOR_MARGIN_MS  # after the read: see the docstring
    if previous is not None:
        floor = max(floor, previous + 1)
    token_floor_set(tr, user_id=user_id, ms=floor)
    return floor


def token_jti(*, started: datetime, floor_ms: int | None = None) -> uuid.UUID:
    """The jti of a token whose issuer began reading the user at ``started`` and saw
    ``floor_ms``: a UUIDv7 of ``started``, or of the millisecond after the floor.

    Random apart from the millisecond (74 bits), never from the monotonic
    ``uuid7`` sequence: after the clock steps back, that sequence runs ahead of
    the clock, and a token must carry the time its issuer read the user."""
    ms = epoch_ms(started)
    return uuid7_at(ms if floor_ms is None or ms > floor_ms else floor_ms + 1)


def is_voided(*, jti: str, floor_ms: int | None) -> bool:
    """True when the token ``jti`` (a UUIDv7, as ``ApiAccessToken`` checks) is at or
    before the floor."""
    return floor_ms is not None and uuid7_ms(uuid.UUID(jti)) <= floor_ms
