"""``manage.py fdbstore_status``: the store's backend, location, layout and size."""

from __future__ import annotations

import json
from typing import Any

from fdbstore.database import Database
from fdbstore.management.base import StoreCommand
from fdbstore.status import store_status


class Command(StoreCommand):
    help = (
        "Show the store's backend, location, key layout version, and the keys and bytes "
        "(key plus value) in each top-level space. Counts are read in small snapshot "
        "batches, one short transaction each, so on a live store they are approximate."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="Print JSON, for scripts.")

    def handle_store(self, db: Database, *args: Any, **options: Any) -> None:
        status = store_status(db)
        if options["json"]:
            self.stdout.write(json.dumps(status.as_dict(), indent=2))
            return
        layout = "none (empty store)" if status.layout_version is None else status.layout_version
        self.stdout.write(f"Backend:   {status.backend}")
        self.stdout.write(f"Location:  {status.location}")
        self.stdout.write(f"Root:      {status.root}")
        self.stdout.write(f"Layout:    {layout} (this code: {status.code_layout_version})")
        self.stdout.write("")
        self.stdout.write(f"{'space':<16} {'keys':>12} {'bytes':>14}")
        for usage in [*status.spaces, status.total]:
            self.stdout.write(f"{usage.space:<16} {usage.keys:>12,} {usage.bytes:>14,}")
