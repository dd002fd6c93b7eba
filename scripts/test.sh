#!/usr/bin/env bash
# Set everything up and run the whole test suite: lint, format check, pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh requirements-dev.txt
bash scripts/setup-system.sh  # Chromium + ChromeDriver for tests/browser
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest "$@"
