"""``manage.py purge_expired``: clear revocations and throttle counters that are past."""

from __future__ import annotations

from typing import Any

from accounts.services import FLOOR_KEPT, revocations_purge
from config.api.throttling import throttle_counters_purge
from config.commands import OperatorCommand, bounded_int
from fdbstore import scan
from fdbstore.blobs import blobs_purge
from fdbstore.connection import get_database
from fdbstore.purge import PurgeCount, registered_purges
from sessions_api.hooks import sessions_deleted_committed
from tenancy.invitations import invitations_purge


class Command(OperatorCommand):
    help = (
        "Clear what no longer does anything: revocations of logged-out tokens past their "
        "expiry, token floors (password changes, revoke_tokens, deleted users) older than "
        f"{FLOOR_KEPT.total_seconds() / 3600:g} hours, and throttle counters whose window "
        "has ended, blobs of uploads that died before publishing, the files of deleted "
        "sessions not yet cleared, and invitations past their expiry. The store is walked "
        "in bounded batches, one short transaction each, so it is safe on a live store and "
        "on any size. Run it daily (cron)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be cleared; clear nothing."
        )
        parser.add_argument(
            "--batch-size",
            type=bounded_int(1, 10_000),
            default=None,
            help=f"Keys read per transaction (default {scan.BATCH}).",
        )

    def operate(self, *args: Any, dry_run: bool, batch_size: int | None, **options: Any) -> None:
        revocations = revocations_purge(dry_run=dry_run, batch_size=batch_size)
        counts = {
            "revokedTokens": revocations.revoked_tokens,
            "tokenFloors": revocations.token_floors,
            "throttleCounters": throttle_counters_purge(dry_run=dry_run, batch_size=batch_size),
            "blobs": blobs_purge(get_database(), dry_run=dry_run, size=batch_size),
            "invitations": invitations_purge(dry_run=dry_run, batch_size=batch_size),
        }
        extra = registered_purges()  # higher apps' purges (agents: finished hub tasks)
        for name, (_, purge) in extra.items():
            counts[name] = purge(dry_run=dry_run, size=batch_size)
        if not dry_run:  # finish what session deletions queued (their files)
            sessions_deleted_committed()
        verb = "would clear" if dry_run else "cleared"
        labels = {
            "revokedTokens": "revoked tokens",
            "tokenFloors": "token floors",
            "throttleCounters": "throttle counters",
            "blobs": "dead blobs",
            "invitations": "invitations",
            **{name: label for name, (label, _) in extra.items()},
        }
        self.emit(
            {"dryRun": dry_run, **{name: _json(count) for name, count in counts.items()}},
            [
                f"{labels[name] + ':':<19}{verb} {count.expired:,} of {count.scanned:,}"
                for name, count in counts.items()
            ],
        )


def _json(count: PurgeCount) -> dict[str, int]:
    return {"scanned": count.scanned, "purged": count.expired}
