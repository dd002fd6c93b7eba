"""``manage.py revoke_tokens --user EMAIL``: void every token a user holds."""

from __future__ import annotations

from typing import Any

from accounts.serializers import UserRecordSerializer
from accounts.services import tokens_revoke_all
from config.commands import OperatorCommand


class Command(OperatorCommand):
    help = (
        "Revoke every token of a user, on every server at once, without changing their "
        "password: their next request with any of them is a 401 (token_revoked); logging "
        "in again gives a new, valid token."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--user", required=True, metavar="EMAIL", help="The user's email address."
        )

    def operate(self, *args: Any, user: str, **options: Any) -> None:
        found, floor_ms = tokens_revoke_all(email=user)
        self.emit(
            {"user": UserRecordSerializer(found).data, "floorMs": floor_ms},
            f"Revoked every token of {found.email} issued until now.",
        )
