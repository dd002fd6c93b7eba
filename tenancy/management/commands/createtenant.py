"""``manage.py createtenant NAME --owner EMAIL``: a new organisation and its owner."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from accounts.selectors import user_find
from config.commands import OperatorCommand
from tenancy.management.commands._common import tenant_json
from tenancy.services import organization_create


class Command(OperatorCommand):
    help = "Create an organisation tenant with EMAIL's user as its owner; print its id."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("name", help="The organisation's name (1-200 characters).")
        parser.add_argument("--owner", required=True, help="The owner's email address.")

    def operate(self, *args: Any, name: str, owner: str, **options: Any) -> None:
        name = name.strip()
        if not 0 < len(name) <= 200:
            raise CommandError("The name must be 1-200 characters.")
        user = user_find(email=owner)
        tenant, _ = organization_create(owner_id=user.id, name=name)
        self.emit(
            tenant_json(tenant, "owner"),
            f"Created organisation {tenant.name!r} ({tenant.id}), owner {user.email}.",
        )
