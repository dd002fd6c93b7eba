#!/bin/sh
# One-shot job of docker-compose.yml, run in the FoundationDB image next to the
# server: on first start, when the coordinators have no database yet, create a
# new single-node one (`configure new single memory`); afterwards it only waits
# until the database is available. Exits 0 once it is, 1 if it never becomes so.
#
# Environment: FDB_CLUSTER_FILE (where the cluster file is), FDB_CLUSTER_FILE_CONTENTS
# (written there first, if set), FDB_INIT_CONFIGURATION (default "single memory"),
# FDB_INIT_ATTEMPTS (default 60) and FDB_INIT_INTERVAL (seconds between tries, default 2).
set -eu

cluster_file="${FDB_CLUSTER_FILE:-/var/fdb/fdb.cluster}"
configuration="${FDB_INIT_CONFIGURATION:-single memory}"
attempts="${FDB_INIT_ATTEMPTS:-60}"
interval="${FDB_INIT_INTERVAL:-2}"

if [ -n "${FDB_CLUSTER_FILE_CONTENTS:-}" ]; then
    mkdir -p "$(dirname "$cluster_file")"
    printf '%s\n' "$FDB_CLUSTER_FILE_CONTENTS" > "$cluster_file"
fi

status_json() {
    fdbcli -C "$cluster_file" --exec "status json" --timeout 5 2>/dev/null || true
}

try=0
while [ "$try" -lt "$attempts" ]; do
    try=$((try + 1))
    status="$(status_json)"
    if printf '%s' "$status" | grep -Eq '"available"[[:space:]]*:[[:space:]]*true'; then
        echo "fdb-init: the database is available"
        exit 0
    fi
    # recovery_state "configuration_never_created": the coordinators have no database.
    if printf '%s' "$status" | grep -q 'configuration_never_created'; then
        echo "fdb-init: no database yet; running: configure new $configuration"
        fdbcli -C "$cluster_file" --exec "configure new $configuration" --timeout 30 || true
    else
        echo "fdb-init: waiting for FoundationDB (attempt $try of $attempts)"
    fi
    sleep "$interval"
done

echo "fdb-init: FoundationDB did not become available; see: docker compose logs fdb" >&2
exit 1
