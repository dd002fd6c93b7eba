"""``manage.py removemember TENANT_ID EMAIL``: remove a user from an organisation."""

from __future__ import annotations

from typing import Any

from accounts.selectors import user_find
from config.commands import OperatorCommand, uuid_argument
from tenancy.members import member_remove_by_operator


class Command(OperatorCommand):
    help = (
        "Remove EMAIL's user from the organisation TENANT_ID, with the API keys they made "
        "there. Their tokens for it are refused from the next request. The last owner "
        "cannot be removed."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("tenant_id", type=uuid_argument, help="The organisation's id.")
        parser.add_argument("email", help="The user's email address.")

    def operate(self, *args: Any, tenant_id, email: str, **options: Any) -> None:
        user = user_find(email=email)
        member_remove_by_operator(tenant_id=tenant_id, user_id=user.id)
        self.emit(
            {"tenantId": str(tenant_id), "userId": str(user.id), "email": user.email},
            f"Removed {user.email} from {tenant_id}.",
        )
