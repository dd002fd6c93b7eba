"""``manage.py fdbstore_dump``: the store, or one tenant, as versioned JSON lines."""

from __future__ import annotations

import os
import uuid
from typing import Any

from django.core.management.base import CommandError

from fdbstore.database import Database
from fdbstore.dump import dump
from fdbstore.management.base import StoreCommand
from fdbstore.scopes import scope_for


class Command(StoreCommand):
    help = (
        "Write the store (every data space; the layout header is recorded in the dump's "
        "header line) or one tenant as JSON lines: a header, one line per key with the "
        "key (relative to the root) and value in base64, and an end line with the count. "
        "--tenant T dumps exactly: the tenant record; its tenant_users entries (its "
        "members) and tenant_sessions entries (its sessions); each member's user_tenants "
        "entry for T, user record and users_by_email entry; and each session's record. "
        "Members and sessions are found through T's index entries; other tenants of a "
        "member, revoked tokens, token floors and throttle counters are not included. "
        "Reads are small snapshot batches, so a dump of a store being written is not one "
        "consistent snapshot."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--tenant", type=uuid.UUID, metavar="UUID", help="Dump only this tenant."
        )
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="Write to FILE instead of standard output."
        )

    def handle_store(self, db: Database, *args: Any, **options: Any) -> None:
        scope = scope_for(options["tenant"])
        path = options["output"]
        if path is None:
            # The data goes to stdout: draw progress only where it cannot mix with it.
            progress = None if self.stdout.isatty() else self.progress("dumping")
            dump(db, self.stdout, scope, progress=progress)
            return
        try:
            out = open(path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None
        try:
            with out:
                count = dump(db, out, scope, progress=self.progress("dumping"))
        except BaseException:
            os.unlink(path)  # a partial dump would be refused anyway; leave no such file
            raise
        if options["verbosity"] > 0:
            self.stderr.write(f"Dumped {count:,} keys to {path}.", style_func=lambda s: s)
