#!/usr/bin/env bash
# Set everything up and run the API on http://localhost:8080 with the embedded store,
# on the production server (granian, config/server.py) with DEBUG on unless set:
# readable logs, and a development secret when JWT_SECRET is unset.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh requirements.txt
export DEBUG="${DEBUG:-true}" HOST="${HOST:-0.0.0.0}" PORT="${PORT:-8080}"
exec sh docker/entrypoint.sh .venv/bin/python -m config.server
