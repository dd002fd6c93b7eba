"""Tenancy reads."""

from __future__ import annotations

import uuid

from fdbstore.connection import get_database
from fdbstore.transaction import ReadOperations
from tenancy.errors import TenantNotFound
from tenancy.records import Tenant
from tenancy.repositories import memberships, tenants


def membership_role(tr: ReadOperations, *, user_id: uuid.UUID, tenant_id: uuid.UUID) -> str | None:
    """Return ``user_id``'s role in ``tenant_id``, or None when not a member."""
    membership = memberships.get(tr, user_id, tenant_id)
    return None if membership is None else membership.role


def tenant_get(*, tenant_id: uuid.UUID) -> Tenant:
    """The tenant record; ``TenantNotFound`` when there is none."""
    tenant = get_database().transact(lambda tr: tenants.get(tr, tenant_id))
    if tenant is None:
        raise TenantNotFound(f"No tenant with id {tenant_id}.")
    return tenant
