"""``manage.py seed_demo``: the guide's demo account, ``demo@coditect.ai`` / ``demo``.

Runs with ``DEBUG`` on only, unless ``--force``: the password is the guide's
well-known ``demo``, which skips the validators (``accounts/demo.py``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError

from accounts.demo import DEMO_EMAIL, DEMO_PASSWORD, demo_seed
from accounts.serializers import UserRecordSerializer
from config.commands import OperatorCommand
from sessions_api.serializers import SessionSerializer


class Command(OperatorCommand):
    help = (
        f"Create the integration guide's demo account ({DEMO_EMAIL}, password "
        f"'{DEMO_PASSWORD}') with its personal tenant and two demo sessions, where missing; "
        "running it again changes nothing. The guide's password is refused by the "
        "password validators and is public, so this runs only with DEBUG on, unless --force."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed with DEBUG off too (never on a server others can reach).",
        )

    def operate(self, *args: Any, force: bool, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                f"DEBUG is off: seed_demo would create {DEMO_EMAIL} with the public password "
                f"'{DEMO_PASSWORD}'. Set DEBUG=true (development), or pass --force."
            )
        seed = demo_seed()
        state = "created" if seed.user_created else "already there, unchanged"
        self.emit(
            {
                "user": UserRecordSerializer(seed.user).data,
                "userCreated": seed.user_created,
                "sessions": SessionSerializer(seed.sessions, many=True).data,
                "sessionsCreated": seed.sessions_created,
            },
            [
                f"Demo account {seed.user.email}: {state}.",
                f"Demo sessions: {seed.sessions_created} created, "
                f"{len(seed.sessions) - seed.sessions_created} already there.",
                f"Log in with {DEMO_EMAIL} / {DEMO_PASSWORD}"
                + ("" if seed.user_created else " (unless the password was changed since)."),
            ],
        )
