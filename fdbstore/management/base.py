"""The base of fdbstore's operator commands: one store, clear one-line errors.

A command implements ``handle_store(db, **options)``. Opening the store and
every store failure -- a bad setting, a path that is a directory or not a
store, a missing FoundationDB client, a newer key layout, a timeout -- becomes
a ``CommandError``: one line on stderr and exit status 1, never a traceback
(``--traceback`` still shows one, as for any Django command).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from fdbstore.conf import store_settings
from fdbstore.connection import get_database
from fdbstore.database import Database
from fdbstore.errors import StoreError
from fdbstore.progress import Progress


class StoreCommand(BaseCommand):
    def handle(self, *args: Any, **options: Any) -> str | None:
        db = None
        try:
            db = get_database()
            return self.handle_store(db, *args, **options)
        except (StoreError, ImproperlyConfigured) as exc:
            raise CommandError(one_line(exc)) from exc
        except sqlite3.Error as exc:
            # The embedded backend wraps the errors of opening and committing, but
            # a SQLite file of another application can still fail a plain read.
            where = db.describe() if db is not None else store_settings()["PATH"]
            raise CommandError(
                f"{where} is not usable ({one_line(exc)}); is FDBSTORE_PATH another "
                "application's SQLite file?"
            ) from exc

    def handle_store(self, db: Database, *args: Any, **options: Any) -> str | None:
        raise NotImplementedError("subclasses of StoreCommand must provide handle_store()")

    def progress(self, label: str, total: int | None = None) -> Progress:
        """A progress line on stderr, drawn only when stderr is a terminal."""
        return Progress(self.stderr, label, total)


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
