"""``manage.py mcp --email EMAIL [--tenant UUID]``: the MCP server over stdio.

Or with a tenant API key (or a token) in ``CODITECT_API_KEY`` instead of
``--email``. stdout carries MCP messages only; logs go to stderr."""

from __future__ import annotations

import contextlib
import os
import uuid
from typing import Any

from django.core.management.base import CommandError

from config.api.errors import ApiError
from config.commands import uuid_argument
from fdbstore.database import Database
from fdbstore.management.base import StoreCommand
from mcp_server.stdio import principal_for_email, principal_for_key, serve_stdio

API_KEY_VARIABLE = "CODITECT_API_KEY"


class Command(StoreCommand):
    help = (
        "Serve the MCP tools over stdin/stdout for a local client (Claude Desktop, an IDE), "
        "acting as the user named by --email in their personal tenant (or --tenant), or as "
        f"the credential in {API_KEY_VARIABLE}. Logs go to stderr."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--email", help="Act as this user.")
        parser.add_argument(
            "--tenant",
            type=uuid_argument,
            metavar="UUID",
            help="With --email: a tenant the user is a member of (default: their own).",
        )

    def handle_store(
        self, db: Database, *args: Any, email: str | None, tenant: uuid.UUID | None, **options: Any
    ) -> None:
        key = os.environ.get(API_KEY_VARIABLE, "").strip()
        if email and key:
            raise CommandError(f"give --email or {API_KEY_VARIABLE}, not both")
        if tenant and not email:
            raise CommandError("--tenant goes with --email")
        try:
            if email:
                principal = principal_for_email(email=email, tenant_id=tenant)
            elif key:
                principal = principal_for_key(key)
            else:
                raise CommandError(f"give --email EMAIL or set {API_KEY_VARIABLE}")
        except ApiError as exc:
            raise CommandError(exc.message) from exc
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C ends a stdio server quietly
            serve_stdio(principal)
