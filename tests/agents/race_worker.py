"""A spawned claimer for the exactly-once race: claims until the queue stays empty."""

from __future__ import annotations

import os
import time


def claim_all(path: str, tenant_id: str, agent_id: str, barrier, results) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    import uuid

    from agents.services import task_claim
    from fdbstore.connection import use_database
    from tests.support.stores import open_store

    db = open_store(path)
    got: list[str] = []
    with use_database(db):
        barrier.wait()
        while (
            claimed := task_claim(tenant_id=uuid.UUID(tenant_id), agent_id=agent_id, timeout=0.5)
        ) is not None:
            got.append(str(claimed[0].id))
            # A worker works on what it claimed: on a loaded machine one claimer
            # would otherwise drain the queue before the others are scheduled.
            time.sleep(0.01)
    db.close()
    results.put(got)
