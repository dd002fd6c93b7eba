"""``manage.py fdbstore_load``: load a dump written by ``fdbstore_dump``."""

from __future__ import annotations

import sys
from typing import IO, Any

from django.core.management.base import CommandError

from fdbstore.database import Database
from fdbstore.dumpfile import DumpError
from fdbstore.load import BATCH_BYTES, BATCH_KEYS, LoadReport, load
from fdbstore.management.base import StoreCommand, one_line
from fdbstore.status import root_name


class Command(StoreCommand):
    help = (
        "Load a dump written by fdbstore_dump from FILE, or from standard input with '-'. "
        "Every line is checked first (format and key layout no newer than this code, "
        "JSON, base64, key order and count, size limits, keys inside the dump's scope), "
        "so a bad file changes nothing. A target that already holds data in the dump's "
        "scope (any data space for a whole-store dump; the tenant's record, members or "
        "sessions, or any key of the dump, for a tenant dump) is refused unless --force, "
        "which overwrites the dump's keys and leaves every other key as it is. Writes go "
        f"in batches of at most {BATCH_KEYS:,} keys and {BATCH_BYTES:,} bytes, one "
        "transaction each: an interrupted load is completed by loading again with --force."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", metavar="FILE", help="A dump file, or '-' for standard input.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even if the target already holds data in the dump's scope.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and report; write nothing."
        )

    def handle_store(self, db: Database, *args: Any, **options: Any) -> None:
        name = options["file"]
        if name == "-":
            stdin = options.get("stdin", sys.stdin)
            report = self._load(db, getattr(stdin, "buffer", stdin), options)
        else:
            try:
                source = open(name, "rb")  # noqa: SIM115
            except OSError as exc:
                raise CommandError(f"cannot read {name}: {exc.strerror or exc}") from None
            with source:
                report = self._load(db, source, options)
        self.stdout.write(self._summary(db, name, report, options["dry_run"]))

    def _load(self, db: Database, source: IO[bytes], options: dict[str, Any]) -> LoadReport:
        try:
            return load(
                db,
                source,
                force=options["force"],
                dry_run=options["dry_run"],
                progress=self.progress,
            )
        except DumpError as exc:  # raised only before the first write
            raise CommandError(f"{one_line(exc)}; nothing was written") from exc

    @staticmethod
    def _summary(db: Database, name: str, report: LoadReport, dry_run: bool) -> str:
        source = "standard input" if name == "-" else name
        spaces = ", ".join(f"{space} {n:,}" for space, n in sorted(report.per_space.items()))
        verb = "Would load" if dry_run else "Loaded"
        text = f"{verb} {report.keys:,} keys from {source} into {db.describe()}"
        if report.header.tenant is not None:
            text += f" (tenant {report.header.tenant})"
        if spaces:
            text += f": {spaces}"
        plural = "" if report.batches == 1 else "s"
        text += "." if dry_run else f"; {report.batches:,} transaction{plural}."
        if report.overwrites:
            text += f" {'Would overwrite' if dry_run else 'Overwrote'} {report.overwrites:,}."
        if report.header.root != root_name():
            text += f" The dump was taken under root {report.header.root!r}; loaded under"
            text += f" {root_name()!r}."
        return text
