"""``migrate`` without a relational database: there is nothing to migrate.

Django's own ``migrate`` needs ``DATABASES``, which this project leaves empty,
so deploy scripts and habits that run ``manage.py migrate`` would crash. The
store's schema is its key layout: opening the store writes the layout header
into a new store and refuses a layout newer than this code, so this command
opens it and says so.
"""

from __future__ import annotations

from typing import Any

from django.db.migrations.autodetector import MigrationAutodetector

from fdbstore.database import Database
from fdbstore.keys import LAYOUT_VERSION
from fdbstore.layout import ensure_layout
from fdbstore.management.base import StoreCommand


class Command(StoreCommand):
    # Django's system check compares this with makemigrations' autodetector.
    autodetector = MigrationAutodetector
    help = (
        "No relational database here (DATABASES is empty): nothing to migrate. "
        "Opens the store and checks its key layout version instead."
    )

    def add_arguments(self, parser: Any) -> None:
        # Django's migrate takes app labels and options; accept and ignore them
        # so existing deploy scripts keep working.
        parser.add_argument("args", nargs="*", help="Ignored (Django's app_label/migration).")
        parser.add_argument("--noinput", "--no-input", action="store_true", help="Ignored.")

    def handle_store(self, db: Database, *args: Any, **options: Any) -> None:
        version = ensure_layout(db)
        self.stdout.write(
            f"No relational database (DATABASES is empty): nothing to migrate.\n"
            f"Store: {db.describe()}, key layout {version} (this code: {LAYOUT_VERSION})."
        )
