#!/usr/bin/env bash
# One command for the API benchmark: set up .venv and wrk, then run the harness.
#   bash bench/run.sh                      # the record run: 5 s x 3 rounds, sizes 10/1,000/100,000
#   bash bench/run.sh --quick              # a smoke run (1 round, 2 s, sizes 10/1,000)
#   bash bench/run.sh --record             # also write the report into docs/BENCHMARKS.md
# Every other argument goes to `python -m bench.api_bench` (--help lists them).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh bench/requirements.txt
if ! command -v wrk >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "bench: installing wrk (Debian package)" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
    else
        echo "bench: wrk is missing; install it (Debian: apt-get install -y wrk)" >&2
        exit 1
    fi
fi
BENCH_ENTRY="bash bench/run.sh" exec .venv/bin/python -m bench.api_bench "$@"
