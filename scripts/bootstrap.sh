#!/usr/bin/env bash
# Create .venv (if missing) and install the pinned dependencies into it.
# Usage: scripts/bootstrap.sh [requirements file]   (default: requirements-dev.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
requirements="${1:-requirements-dev.txt}"
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
