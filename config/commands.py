"""The base of the operator commands (createuser, changepassword, listusers, ...).

Built on fdbstore's ``StoreCommand``, so a store that cannot be opened or
reached is one ``CommandError`` line and exit status 1. On top of it:

- ``--json`` on every command; ``emit`` prints JSON for scripts or lines for
  people, and nothing else goes to stdout (prompts go to stderr);
- the API's own errors (``ApiError``: an unknown user, a taken email, a
  password the validators refuse, a bad cursor) become one ``CommandError``
  line too, with the validators' messages; so does Ctrl-C or end of input at
  a prompt;
- ``ask``, ``confirm`` and ``interactive`` for prompting, which refuse to
  wait on a standard input that is not a terminal.

A command implements ``operate(**options)`` and calls services and
selectors: no keys, no transactions.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.management.base import CommandError

from config.api.errors import ApiError
from fdbstore.database import Database
from fdbstore.management.base import StoreCommand


class OperatorCommand(StoreCommand):
    # call_command(..., stdin_stream=...) in tests (createsuperuser's "stdin" would clash
    # with changepassword's --stdin)
    stealth_options = ("stdin_stream",)

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument("--json", action="store_true", help="Print JSON, for scripts.")
        return parser

    def handle_store(self, db: Database, *args: Any, **options: Any) -> None:
        self.stdin = options.get("stdin_stream") or sys.stdin
        self.options = options
        try:
            self.operate(*args, **options)
        except ApiError as exc:
            raise CommandError(error_line(exc)) from exc
        except (EOFError, KeyboardInterrupt):
            raise CommandError("Operation cancelled.") from None

    def operate(self, *args: Any, **options: Any) -> None:
        raise NotImplementedError("subclasses of OperatorCommand must provide operate()")

    # -- output ----------------------------------------------------------------------
    def emit(self, data: Any, lines: Iterable[str] | str) -> None:
        """Print ``data`` as JSON with ``--json``, else ``lines``."""
        if self.options.get("json"):
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            return
        for line in [lines] if isinstance(lines, str) else lines:
            self.stdout.write(line)

    # -- input -----------------------------------------------------------------------
    def require_terminal(self, hint: str) -> None:
        """Refuse to prompt when standard input is not a terminal (a script, a pipe)."""
        if not (hasattr(self.stdin, "isatty") and self.stdin.isatty()):
            raise CommandError(f"standard input is not a terminal: {hint}")

    def note(self, message: str, *, ending: str = "\n") -> None:
        """A line for the person at the terminal, on stderr, unstyled (Django colours
        whatever else goes to stderr as an error)."""
        self.stderr.write(message, style_func=_plain, ending=ending)
        self.stderr.flush()

    def ask(self, prompt: str) -> str:
        """One line from standard input, the prompt on stderr; EOF cancels."""
        self.note(prompt, ending="")
        line = self.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\r\n")

    def confirm(self, question: str) -> bool:
        """Ask ``question``; True only for the answer ``yes``."""
        return self.ask(f"{question}\nType 'yes' to continue, or 'no' to cancel: ") == "yes"


def _plain(text: str) -> str:
    return text


def error_line(exc: ApiError) -> str:
    """The error on one line: its details (``password: This password is too short. ...``)
    when it has some, else its message."""
    details = exc.details
    if not isinstance(details, dict) or not details:
        return exc.message
    parts = []
    for field, messages in details.items():
        texts = messages if isinstance(messages, list) else [messages]
        parts.append(f"{field}: {' '.join(str(text) for text in texts)}")
    return "; ".join(parts)


def uuid_argument(value: str) -> uuid.UUID:
    """argparse type: a UUID, or a one-line usage error."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a UUID") from None


PAGE_DEFAULT = 100
PAGE_MAX = 1000


def add_paging_arguments(parser: Any, noun: str) -> None:
    """``--limit`` and ``--cursor`` for a command that prints one page per run."""
    parser.add_argument(
        "--limit",
        type=bounded_int(1, PAGE_MAX),
        default=PAGE_DEFAULT,
        help=f"{noun} per page, 1-{PAGE_MAX} (default {PAGE_DEFAULT}).",
    )
    parser.add_argument("--cursor", help="The next cursor a previous page printed.")


def bounded_int(low: int, high: int):
    """argparse type: an integer in [low, high]."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number {low}-{high}")
        return number

    return parse


def table(
    headers: list[str], rows: list[list[str]], next_cursor: str | None, *, empty: str
) -> list[str]:
    """Left-aligned columns, then the next cursor (or that this is the last page)."""
    lines = [empty]
    if rows:
        widths = [max(len(str(c)) for c in column) for column in zip(headers, *rows, strict=True)]
        lines = [
            "  ".join(str(c).ljust(width) for c, width in zip(row, widths, strict=True)).rstrip()
            for row in [headers, *rows]
        ]
    if next_cursor:
        lines.append(f"Next cursor: {next_cursor}")
    elif rows:
        lines.append("(last page)")
    return lines
