"""``manage.py deleteuser EMAIL``: delete a user, their personal tenant and its sessions.

What goes, in which transactions, and why a large tenant takes several:
``accounts.services.user_delete``. Asks for confirmation unless ``--yes``
(or ``--noinput``); refuses to ask a standard input that is not a terminal.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from accounts.selectors import user_find
from accounts.serializers import UserRecordSerializer
from accounts.services import DELETE_BATCH, user_delete
from config.commands import OperatorCommand, bounded_int
from tenancy.records import self_tenant_id


class Command(OperatorCommand):
    help = (
        "Delete a user: their personal tenant with all its sessions and memberships, "
        "their memberships in other tenants, the user record and its email entry. Their "
        "tokens stop working at once. A usual user goes in one transaction; a tenant with "
        "more sessions than --batch-size loses them in batches first, one transaction "
        "each, and the rest goes in a final one (run again to finish an interrupted "
        "delete). Asks for confirmation unless --yes."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email", help="The user's email address.")
        parser.add_argument(
            "--yes",
            "--noinput",
            "--no-input",
            action="store_true",
            dest="yes",
            help="Do not ask for confirmation.",
        )
        parser.add_argument(
            "--batch-size",
            type=bounded_int(1, 10_000),
            default=DELETE_BATCH,
            help=f"Sessions or memberships per transaction (default {DELETE_BATCH}).",
        )

    def operate(self, *args: Any, email: str, yes: bool, batch_size: int, **options: Any) -> None:
        user = user_find(email=email)
        if not yes:
            self.require_terminal("pass --yes to delete without confirmation")
            question = (
                f"This deletes {user.email} (user {user.id}) and their tenant "
                f"{self_tenant_id(user.id)} with all its sessions and memberships. "
                "It cannot be undone."
            )
            if not self.confirm(question):
                raise CommandError("Deletion cancelled.")
        done = user_delete(email=user.email, batch_size=batch_size)
        self.emit(
            {
                "deleted": UserRecordSerializer(done.user).data,
                "tenantId": str(done.tenant_id),
                "sessions": done.sessions,
                "memberships": done.memberships,
                "transactions": done.transactions,
            },
            f"Deleted {done.user.email}: tenant {done.tenant_id}, {done.sessions} "
            f"session(s), {done.memberships} membership(s), in {done.transactions} "
            "transaction(s).",
        )
