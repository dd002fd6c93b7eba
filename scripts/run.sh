#!/usr/bin/env bash
# Set everything up and run the API on http://localhost:8080 with the embedded store.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh requirements.txt
export DEBUG="${DEBUG:-true}"
exec .venv/bin/python manage.py runserver "${HOST:-0.0.0.0}:${PORT:-8080}"
