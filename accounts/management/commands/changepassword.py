"""``manage.py changepassword EMAIL``: set a user's password and revoke their tokens.

This replaces ``django.contrib.auth``'s command of the same name, which needs
the ORM: ``accounts`` comes before ``django.contrib.auth`` in
``INSTALLED_APPS``, and Django runs the first app's command. The password is
prompted for twice (three attempts, as Django's), or read from standard input
with ``--stdin`` (one line) for scripts; never taken from the command line,
where it would land in the shell history and the process list.
"""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import CommandError

from accounts.selectors import user_find
from accounts.serializers import UserRecordSerializer
from accounts.services import user_password_change
from config.api.errors import ValidationFailed
from config.commands import OperatorCommand, error_line

MAX_TRIES = 3


class Command(OperatorCommand):
    help = (
        "Set a user's password; every token issued to them until now is revoked, on "
        "every server. Prompts twice for the password, or reads one line from standard "
        "input with --stdin. The new password must pass Django's password validators."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email", help="The user's email address.")
        parser.add_argument(
            "--stdin",
            action="store_true",
            dest="from_stdin",
            help="Read the password from standard input (one line).",
        )

    def operate(self, *args: Any, email: str, from_stdin: bool, **options: Any) -> None:
        if from_stdin:
            user = user_password_change(email=email, password=self._line())
        else:
            user = self._interactive(email)
        self.emit(
            {"user": UserRecordSerializer(user).data, "tokensRevoked": True},
            f"Password changed for {user.email}; every token issued to them until now is revoked.",
        )

    def _line(self) -> str:
        password = self.stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("no password on standard input")
        return password

    def _interactive(self, email: str):
        self.require_terminal("pass --stdin to read the password from it")
        user = user_find(email=email)
        self.note(f"Changing password for {user.email}")
        for _ in range(MAX_TRIES):
            first = getpass.getpass("Password: ")
            if not first:
                raise CommandError("aborted: empty password")
            if first != getpass.getpass("Password (again): "):
                self.stderr.write("Passwords do not match. Please try again.")
                continue
            try:
                return user_password_change(email=user.email, password=first)
            except ValidationFailed as exc:
                self.stderr.write(error_line(exc))
        raise CommandError(f"Aborting password change for {user.email} after {MAX_TRIES} attempts")
