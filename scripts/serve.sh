#!/usr/bin/env bash
# Run the production server (granian, config/server.py) on http://HOST:PORT.
# Without FDB_CLUSTER_FILE it serves the embedded store (FDBSTORE_PATH, default ./var/).
# DEBUG defaults to off, so JWT_SECRET must be a real secret (environment or .env);
# WEB_CONCURRENCY sets the number of worker processes (docs/OPERATIONS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh requirements.txt
exec sh docker/entrypoint.sh .venv/bin/python -m config.server
