"""``manage.py addmember TENANT_ID EMAIL [--role R]``: add a user to an organisation."""

from __future__ import annotations

from typing import Any

from accounts.selectors import user_find
from config.commands import OperatorCommand, uuid_argument
from tenancy.management.commands._common import membership_json
from tenancy.members import member_add
from tenancy.records import MEMBER, ROLES


class Command(OperatorCommand):
    help = "Add EMAIL's user to the organisation TENANT_ID with a role (no invitation)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("tenant_id", type=uuid_argument, help="The organisation's id.")
        parser.add_argument("email", help="The user's email address.")
        parser.add_argument("--role", choices=ROLES, default=MEMBER, help="Default: member.")

    def operate(self, *args: Any, tenant_id, email: str, role: str, **options: Any) -> None:
        user = user_find(email=email)
        membership = member_add(tenant_id=tenant_id, user_id=user.id, role=role)
        self.emit(
            membership_json(membership, user.email),
            f"Added {user.email} to {tenant_id} as {membership.role}.",
        )
