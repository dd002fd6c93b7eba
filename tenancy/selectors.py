"""Tenancy reads."""

from __future__ import annotations

import uuid

from fdbstore.transaction import ReadOperations
from tenancy.repositories import memberships


def membership_role(tr: ReadOperations, *, user_id: uuid.UUID, tenant_id: uuid.UUID) -> str | None:
    """Return ``user_id``'s role in ``tenant_id``, or None when not a member."""
    membership = memberships.get(tr, user_id, tenant_id)
    return None if membership is None else membership.role
