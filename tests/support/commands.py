"""Running management commands in tests: in process, with a terminal, and as an operator."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

ROOT_DIR = Path(__file__).resolve().parents[2]


class Terminal(io.StringIO):
    """Standard input that says it is a terminal, with the answers to the prompts."""

    def __init__(self, *lines: str) -> None:
        super().__init__("".join(f"{line}\n" for line in lines))

    def isatty(self) -> bool:
        return True


def run(name: str, *args: str, stdin: io.StringIO | None = None, **options) -> tuple[str, str]:
    """``call_command`` with captured stdout and stderr, and ``stdin`` as standard input."""
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        options["stdin_stream"] = stdin
    call_command(name, *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def run_json(name: str, *args: str, **options):
    return json.loads(run(name, *args, "--json", **options)[0])


def getpass_answers(monkeypatch, *answers: str) -> list[str]:
    """Make ``getpass.getpass`` return ``answers`` in turn; returns the prompts it saw."""
    pending, prompts = iter(answers), []

    def fake(prompt: str = "Password: ") -> str:
        prompts.append(prompt)
        return next(pending)

    monkeypatch.setattr("getpass.getpass", fake)
    return prompts


def start_manage(*args: str, env: dict[str, str], stdin: str | None = None) -> subprocess.Popen:
    """Start ``python manage.py ARGS`` as an operator would; finish with ``finish``."""
    process = subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT_DIR,
        env={**os.environ, **env},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    process.stdin_text = stdin  # type: ignore[attr-defined]
    return process


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(process.stdin_text, timeout=120)  # type: ignore[attr-defined]
    return process.returncode, out, err
