"""What the tenancy commands print: a tenant, a membership, as ``--json`` gives them."""

from __future__ import annotations

from typing import Any

from tenancy.records import Membership, Tenant


def tenant_json(tenant: Tenant, role: str | None = None) -> dict[str, Any]:
    data = {
        "id": str(tenant.id),
        "name": tenant.name,
        "kind": tenant.kind,
        "ownerId": str(tenant.owner_id),
        "createdAt": tenant.created_at.isoformat().replace("+00:00", "Z"),
    }
    return data if role is None else {**data, "role": role}


def membership_json(membership: Membership, email: str) -> dict[str, Any]:
    return {
        "tenantId": str(membership.tenant_id),
        "userId": str(membership.user_id),
        "email": email,
        "role": membership.role,
    }
