"""``manage.py listusers``: one page of users in email order, and the next page's cursor."""

from __future__ import annotations

from typing import Any

from accounts.selectors import user_list
from accounts.serializers import UserRecordSerializer
from config.commands import OperatorCommand, add_paging_arguments, table


class Command(OperatorCommand):
    help = (
        "List users in email order, one page per run: one bounded range read whatever "
        "the number of users. Pass the printed next cursor back with --cursor for the "
        "next page."
    )

    def add_arguments(self, parser: Any) -> None:
        add_paging_arguments(parser, "Users")

    def operate(self, *args: Any, limit: int, cursor: str | None, **options: Any) -> None:
        page = user_list(limit=limit, cursor=cursor)
        rows = UserRecordSerializer(page.items, many=True).data
        self.emit(
            {"users": rows, "nextCursor": page.next_cursor, "limit": limit},
            table(
                ["email", "name", "company", "created", "id"],
                [
                    [r["email"], r["name"], r["company"] or "", r["createdAt"][:10], r["id"]]
                    for r in rows
                ],
                page.next_cursor,
                empty="No users.",
            ),
        )
