#!/bin/sh
# Entry point of the API container (and of scripts/serve.sh), then runs its arguments
# (the image's default: python -m config.server, granian).
#
# - Checks WEB_CONCURRENCY here too (a plain number of workers), as it always has;
#   every other variable is checked by config/settings.py and config/server.py
#   (one line, exit status 1).
# - Writes the FoundationDB cluster file when FDB_CLUSTER_FILE_CONTENTS is given
#   (docker-compose.yml does this), into the path FDB_CLUSTER_FILE names.
set -eu

case "${WEB_CONCURRENCY:-}" in
    *[!0-9]*)
        echo "Configuration error: WEB_CONCURRENCY must be a whole number of workers such as 4, got '${WEB_CONCURRENCY}'" >&2
        exit 1
        ;;
esac

if [ -n "${FDB_CLUSTER_FILE_CONTENTS:-}" ]; then
    if [ -z "${FDB_CLUSTER_FILE:-}" ]; then
        echo "Configuration error: FDB_CLUSTER_FILE_CONTENTS is set, so FDB_CLUSTER_FILE must name the file to write it to" >&2
        exit 1
    fi
    mkdir -p "$(dirname "$FDB_CLUSTER_FILE")"
    printf '%s\n' "$FDB_CLUSTER_FILE_CONTENTS" > "$FDB_CLUSTER_FILE"
fi

exec "$@"
