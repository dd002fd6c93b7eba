"""Targets for ``multiprocessing`` (spawn) children racing on one embedded store.

Each child opens its own ``EmbeddedDatabase`` on the shared file, waits at a
barrier so that all of them start together, and reports through a queue.
"""

from __future__ import annotations

import time

from fdbstore.backends.embedded import EmbeddedDatabase
from fdbstore.database import transactional
from fdbstore.transaction import decode_int, encode_int

# The tests are about lost updates, not about giving up: under deliberate
# contention a transaction may need more tries than the production default.
RETRY_LIMIT = 1000


def open_store(path: str) -> EmbeddedDatabase:
    return EmbeddedDatabase(path=path, synchronous="NORMAL", retry_limit=RETRY_LIMIT)


def increment(path: str, key: bytes, times: int, barrier, results) -> None:
    """Add one to the counter at ``key`` ``times`` times, each in its own transaction."""
    db = open_store(path)
    attempts = 0

    @transactional
    def bump(tr) -> None:
        nonlocal attempts
        attempts += 1
        tr.set(key, encode_int(decode_int(tr.get(key)) + 1))

    barrier.wait()
    for _ in range(times):
        bump(db)
    db.close()
    results.put(attempts)


def claim(path: str, key: bytes, me: bytes, barrier, results) -> None:
    """Claim ``key`` for ``me`` if nobody has; report who holds it and whether we won."""
    db = open_store(path)

    @transactional
    def take(tr) -> tuple[bytes, bool]:
        holder = tr.get(key)
        if holder is not None:
            return holder, False
        # Linger between the read and the commit so that every claimant has
        # read "absent" before anyone commits: the conflict check must decide.
        time.sleep(0.05)
        tr.set(key, me)
        return me, True

    barrier.wait()
    holder, won = take(db)
    db.close()
    results.put((me, holder, won))
