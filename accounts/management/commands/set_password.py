"""``manage.py set_password EMAIL``: set a user's password and revoke their tokens.

Named apart from Django's ``changepassword``, which needs the ORM. The
password is prompted for twice, or read from standard input with ``--stdin``
(one line) for scripts; it is never taken from the command line, where it
would land in the shell history and the process list.
"""

from __future__ import annotations

import getpass
import sys

from django.core.management.base import BaseCommand, CommandError

from accounts.errors import UserNotFound
from accounts.services import user_password_change
from config.api.errors import ValidationFailed


class Command(BaseCommand):
    help = "Set a user's password; every token issued to them until now is revoked."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")
        parser.add_argument("--stdin", action="store_true", help="read the password from stdin")

    def handle(self, *args, email: str, stdin: bool, **options) -> None:
        password = self._read_password(stdin)
        try:
            user = user_password_change(email=email, password=password)
        except UserNotFound:
            raise CommandError(f"no user with email {email!r}") from None
        except ValidationFailed as exc:
            raise CommandError(" ".join(exc.details.get("password", [exc.message]))) from None
        self.stdout.write(f"Password changed for {user.email}; their earlier tokens are revoked.")

    @staticmethod
    def _read_password(stdin: bool) -> str:
        if stdin:
            return sys.stdin.readline().rstrip("\n")
        first = getpass.getpass("New password: ")
        if first != getpass.getpass("New password (again): "):
            raise CommandError("the passwords do not match")
        return first
