"""``manage.py listtenants [--user EMAIL]``: one page of tenants, and the next cursor."""

from __future__ import annotations

from typing import Any

from accounts.records import Principal
from accounts.selectors import user_find
from config.commands import OperatorCommand, add_paging_arguments, table
from tenancy.management.commands._common import tenant_json
from tenancy.records import self_tenant_id
from tenancy.selectors import tenant_list, tenant_page


class Command(OperatorCommand):
    help = (
        "List tenants in id order, one page per run (one bounded range read); with "
        "--user, that user's tenants and their role in each."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--user", help="Only this user's tenants (their email).")
        add_paging_arguments(parser, "Tenants")

    def operate(
        self, *args: Any, user: str | None, limit: int, cursor: str | None, **options: Any
    ) -> None:
        if user is None:
            page = tenant_page(limit=limit, cursor=cursor)
            rows = [tenant_json(t) for t in page.items]
        else:
            found = user_find(email=user)
            principal = Principal(
                user_id=found.id,
                tenant_id=self_tenant_id(found.id),
                email=found.email,
                jti="",
                issued_at=0,
                expires_at=0,
            )
            views = tenant_list(principal=principal, limit=limit, cursor=cursor)
            page = views  # type: ignore[assignment]
            rows = [tenant_json(v.tenant, v.role) for v in views.items]
        self.emit(
            {"tenants": rows, "nextCursor": page.next_cursor, "limit": limit},
            table(
                ["id", "kind", "name", "role", "created"],
                [
                    [r["id"], r["kind"], r["name"], r.get("role", ""), r["createdAt"][:10]]
                    for r in rows
                ],
                page.next_cursor,
                empty="No tenants.",
            ),
        )
