"""``manage.py listsessions --tenant UUID | --email EMAIL``: one page of a tenant's sessions."""

from __future__ import annotations

import uuid
from typing import Any

from accounts.selectors import user_find
from config.commands import OperatorCommand, add_paging_arguments, table, uuid_argument
from sessions_api.selectors import session_list
from sessions_api.serializers import SessionSerializer
from tenancy.records import self_tenant_id
from tenancy.selectors import tenant_get


class Command(OperatorCommand):
    help = (
        "List a tenant's sessions, newest first, one page per run: one bounded range read "
        "whatever the tenant's size. Name the tenant by id, or by its owner's email (their "
        "personal tenant). Pass the printed next cursor back with --cursor for the next page."
    )

    def add_arguments(self, parser: Any) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--tenant", type=uuid_argument, metavar="UUID", help="Tenant id.")
        which.add_argument("--email", help="A user's email: their personal tenant.")
        add_paging_arguments(parser, "Sessions")

    def operate(
        self,
        *args: Any,
        tenant: uuid.UUID | None,
        email: str | None,
        limit: int,
        cursor: str | None,
        **options: Any,
    ) -> None:
        tenant_id = tenant if tenant is not None else self_tenant_id(user_find(email=email).id)
        tenant_get(tenant_id=tenant_id)  # an unknown tenant is an error, not an empty list
        page = session_list(tenant_id=tenant_id, limit=limit, cursor=cursor)
        rows = SessionSerializer(page.items, many=True).data
        self.emit(
            {
                "tenantId": str(tenant_id),
                "sessions": rows,
                "nextCursor": page.next_cursor,
                "limit": limit,
            },
            table(
                ["id", "created", "name", "workspacePath"],
                [[r["id"], r["createdAt"], r["name"], r["workspacePath"] or ""] for r in rows],
                page.next_cursor,
                empty=f"No sessions in tenant {tenant_id}.",
            ),
        )
