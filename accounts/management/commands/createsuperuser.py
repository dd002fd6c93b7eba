"""Django's ``createsuperuser`` needs the ORM; here it points to ``createuser``.

``accounts`` comes before ``django.contrib.auth`` in INSTALLED_APPS, so this
command replaces Django's, which would fail on the empty DATABASES.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Not available: there is no ORM and no superuser. Use `manage.py createuser`."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("args", nargs="*", help="Ignored.")
        parser.add_argument("--noinput", "--no-input", action="store_true", help="Ignored.")
        parser.add_argument("--username", "--email", dest="ignored", help="Ignored.")

    def handle(self, *args: Any, **options: Any) -> None:
        raise CommandError(
            "this project has no superusers (no ORM, DATABASES is empty); "
            "create an account with `manage.py createuser`"
        )
