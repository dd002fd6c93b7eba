"""``manage.py fdbstore_check``: orphaned and missing index entries, per repository."""

from __future__ import annotations

import base64
import json
from typing import Any

from django.core.management.base import CommandError

from fdbstore.checks import IndexReport, check_repository
from fdbstore.database import Database
from fdbstore.dumpfile import readable
from fdbstore.management.base import StoreCommand
from fdbstore.registry import checks, repositories


class Command(StoreCommand):
    help = (
        "Check every registered repository's indexes against its records: an orphan is "
        "an index entry no record accounts for, a missing entry one a record needs but "
        "lacks; records that cannot be decoded are reported too. --repair clears orphans "
        "and writes missing entries, each re-checked in its own transaction (undecodable "
        "records are never touched). Exits with status 1 while problems remain."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--repair", action="store_true", help="Fix orphaned and missing index entries."
        )
        parser.add_argument("--json", action="store_true", help="Print JSON, for scripts.")

    def handle_store(self, db: Database, *args: Any, **options: Any) -> None:
        repair = options["repair"]
        reports = [
            check_repository(db, name, repo, repair=repair)
            for name, repo in sorted(repositories().items())
        ] + [check(db, repair=repair) for _name, check in sorted(checks().items())]
        if options["json"]:
            self.stdout.write(json.dumps(as_json(reports, repair), indent=2))
        else:
            self._print(reports, repair)
        left = sum(unresolved(report, repair) for report in reports)
        if left:
            hint = "" if repair else " (run with --repair to fix index entries)"
            raise CommandError(f"{left} index problem(s) remain{hint}")

    def _print(self, reports: list[IndexReport], repair: bool) -> None:
        if not reports:
            self.stdout.write("No repositories are registered; nothing to check.")
        for report in reports:
            line = (
                f"{report.repository}: {report.records:,} records, "
                f"{len(report.orphans):,} orphans, {len(report.missing):,} missing"
            )
            if report.undecodable:
                line += f", {len(report.undecodable):,} undecodable"
            if repair:
                line += f", {report.repaired:,} repaired"
            self.stdout.write(line)
            for index, key in report.orphans:
                self.stdout.write(f"  orphan   {index} {readable(key)}")
            for index, key, _value in report.missing:
                self.stdout.write(f"  missing  {index} {readable(key)}")
            for key in report.undecodable:
                self.stdout.write(f"  undecodable record {readable(key)}")


def unresolved(report: IndexReport, repair: bool) -> int:
    return report.problems - (report.repaired if repair else 0)


def as_json(reports: list[IndexReport], repair: bool) -> dict[str, Any]:
    def key(raw: bytes) -> dict[str, str]:
        return {"key": base64.b64encode(raw).decode(), "tuple": readable(raw)}

    return {
        "ok": not any(unresolved(report, repair) for report in reports),
        "repositories": [
            {
                "name": report.repository,
                "records": report.records,
                "orphans": [{"index": index, **key(raw)} for index, raw in report.orphans],
                "missing": [{"index": index, **key(raw)} for index, raw, _ in report.missing],
                "undecodable": [key(raw) for raw in report.undecodable],
                "repaired": report.repaired,
                "ok": not unresolved(report, repair),
            }
            for report in reports
        ],
    }
