"""``manage.py createuser``: create an account, as registering through the API does.

Interactive by default (as Django's ``createsuperuser``): it prompts for what
the options did not give, re-asking after an invalid or taken email, and for
the password twice without echo. With ``--noinput``, ``--email``,
``--first-name`` and ``--last-name`` are required and the password comes
from the environment variable ``CODITECT_PASSWORD`` (Django's
``DJANGO_SUPERUSER_PASSWORD``), never from the command line. Either way the
user, their email entry, personal tenant and owner membership are written by
``user_create`` in one transaction, and the password must pass the validators.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import CommandError
from rest_framework.exceptions import ValidationError

from accounts.errors import EmailTaken, UserNotFound
from accounts.records import normalize_email
from accounts.selectors import user_find
from accounts.serializers import RegisterSerializer, UserRecordSerializer
from accounts.services import user_create
from config.api.errors import ValidationFailed
from config.commands import OperatorCommand, error_line

PASSWORD_ENV = "CODITECT_PASSWORD"  # noqa: S105 -- a variable name, not a password
FIELDS = {  # option dest: (serializer field, prompt, required)
    "email": ("email", "Email", True),
    "first_name": ("firstName", "First name", True),
    "last_name": ("lastName", "Last name", True),
    "company": ("company", "Company (optional)", False),
}


class Command(OperatorCommand):
    help = (
        "Create a user with their personal tenant, as POST /api/v5/auth/register does. "
        "Prompts for each field and twice for the password; with --noinput, give "
        f"--email, --first-name and --last-name, and the password in ${PASSWORD_ENV}."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--email", help="Email address (the login).")
        parser.add_argument("--first-name", dest="first_name", help="First name.")
        parser.add_argument("--last-name", dest="last_name", help="Last name.")
        parser.add_argument("--company", help="Company (optional).")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Do not prompt: take every field from the options, the password from "
            f"${PASSWORD_ENV}.",
        )

    def operate(self, *args: Any, interactive: bool, **options: Any) -> None:
        if interactive:
            self.require_terminal(f"use --noinput with the options and ${PASSWORD_ENV}")
            user = self._interactive(options)
        else:
            user = self._noinput(options)
        self.emit(
            {"user": UserRecordSerializer(user).data},
            f"Created {user.email} (user {user.id}, tenant "
            f"{UserRecordSerializer(user).data['tenantId']}).",
        )

    def _noinput(self, options: dict[str, Any]):
        values = {}
        for dest, (_field, _prompt, required) in FIELDS.items():
            if required and not options.get(dest):
                raise CommandError(f"--{dest.replace('_', '-')} is required with --noinput")
            values[dest] = _clean(dest, options.get(dest) or "")
        password = os.environ.get(PASSWORD_ENV)
        if not password:
            raise CommandError(f"set the password in ${PASSWORD_ENV} with --noinput")
        return _create(values, password)

    def _interactive(self, options: dict[str, Any]):
        values = {dest: self._field(dest, options.get(dest)) for dest in FIELDS}
        while True:
            password = self._password()
            try:
                return _create(values, password)
            except ValidationFailed as exc:
                if "password" not in (exc.details or {}):
                    raise
                self.stderr.write(f"Error: {error_line(exc)}")

    def _field(self, dest: str, given: str | None) -> str:
        """A given value is checked once; a prompted one is asked again until valid."""
        if given is not None:
            return self._check(dest, given)
        _field, prompt, _required = FIELDS[dest]
        while True:
            try:
                return self._check(dest, self.ask(f"{prompt}: "))
            except CommandError as exc:
                self.stderr.write(f"Error: {exc}")

    def _check(self, dest: str, value: str) -> str:
        value = _clean(dest, value)
        if dest == "email" and _taken(value):
            raise CommandError(f"an account with email {value} already exists")
        return value

    def _password(self) -> str:
        while True:
            first = getpass.getpass("Password: ")
            if not first:
                self.stderr.write("Error: Blank passwords aren't allowed.")
            elif first != getpass.getpass("Password (again): "):
                self.stderr.write("Error: Your passwords didn't match.")
            else:
                return first


def _clean(dest: str, value: str) -> str:
    """``value`` as the API's registration would accept it; one-line error otherwise."""
    name, _prompt, required = FIELDS[dest]
    if not required and not value.strip():
        return ""
    try:
        value = RegisterSerializer().fields[name].run_validation(value)
    except ValidationError as exc:
        raise CommandError(f"{name}: {' '.join(str(m) for m in exc.detail)}") from None
    return normalize_email(value) if dest == "email" else value


def _taken(email: str) -> bool:
    try:
        user_find(email=email)
    except UserNotFound:
        return False
    return True


def _create(values: dict[str, str], password: str):
    try:
        return user_create(password=password, **{**values, "company": values["company"] or None})
    except EmailTaken:
        raise CommandError(f"an account with email {values['email']} already exists") from None
