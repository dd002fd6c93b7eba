"""Figures for docs/RELIABILITY.md, written only when asked.

``RELIABILITY_FIGURES=dir pytest tests/security tests/hostile`` makes the tests
that measure something write it to ``dir/<name>.json``; without the variable
nothing is written.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def record(name: str, data: Any) -> None:
    if directory := os.environ.get("RELIABILITY_FIGURES"):
        Path(directory).mkdir(parents=True, exist_ok=True)
        (Path(directory) / f"{name}.json").write_text(json.dumps(data, indent=1) + "\n")
