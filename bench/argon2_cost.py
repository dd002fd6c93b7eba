"""Argon2's cost per login, measured in-process with the project's settings.

    DJANGO_SETTINGS_MODULE=config.settings python -m bench.argon2_cost [--n 20]

Times ``make_password`` (register) and ``check_password`` (login) with the
project's default password hasher and prints one JSON line (milliseconds).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.contrib.auth.hashers import check_password, get_hasher, make_password

    hasher = get_hasher("default")
    params = {
        name: getattr(hasher, name)
        for name in ("time_cost", "memory_cost", "parallelism", "iterations")
        if hasattr(hasher, name)
    }
    password = "bench-password-1234"  # noqa: S105
    encoded = make_password(password)
    check_password(password, encoded)  # warm up
    make_ms, check_ms = [], []
    for _ in range(args.n):
        start = time.perf_counter()
        encoded = make_password(password)
        make_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        assert check_password(password, encoded)
        check_ms.append((time.perf_counter() - start) * 1000)
    print(
        json.dumps(
            {
                "algorithm": hasher.algorithm,
                "params": ", ".join(f"{k}={v}" for k, v in params.items()),
                "n": args.n,
                "make_ms": statistics.median(make_ms),
                "check_ms": statistics.median(check_ms),
                "check_p90_ms": sorted(check_ms)[int(0.9 * (len(check_ms) - 1))],
            }
        )
    )


if __name__ == "__main__":
    main()
