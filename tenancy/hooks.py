"""What higher apps do when a tenant is deleted: a registry of bounded steps.

``tenancy`` is a low app: it cannot import the apps that keep data per tenant
(agents, ...). Those register here, from their ``AppConfig.ready``::

    on_tenant_deleting(step)   # step(tr, tenant_id, limit) -> True while more remain

``tenant_delete`` (organisation deletion and ``deleteuser``) runs every step in
its transaction, after the tenant's API keys and invitations and before its
memberships: a step deletes at most ``limit`` of its records per call and says
whether more remain, so the deletion takes as many bounded transactions as the
tenant's size needs and is never left half done with the tenant record gone.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from fdbstore.transaction import Transaction

TenantStep = Callable[[Transaction, uuid.UUID, int], bool]

_steps: list[TenantStep] = []


def on_tenant_deleting(step: TenantStep) -> TenantStep:
    """Register ``step(tr, tenant_id, limit)``; registering the same one twice is a no-op."""
    if step not in _steps:
        _steps.append(step)
    return step


def tenant_data_delete(tr: Transaction, *, tenant_id: uuid.UUID, limit: int) -> bool:
    """Run every registered step; True while any of them has more to delete."""
    more = False
    for step in list(_steps):
        more = step(tr, tenant_id, limit) or more
    return more
