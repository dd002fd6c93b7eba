"""Seed the benchmark's store through the project's own code, in this process.

    python -m bench.seed --sizes 10,1000,100000     (environment: the project's)

Users are registered with ``accounts.services.user_register`` (Argon2 and all,
so login works exactly as in production). Small tenants get their sessions
from ``sessions_api.services.session_create``, one transaction each, as the
API makes them. The large tenants cannot be made that way in reasonable time
(one durable commit per session), so their sessions are built as the service
builds them (``Session`` with a ``uuid7`` id, the API clock) and written with
the service's repository (``sessions.insert``, which keeps the tenant index)
in batched transactions of ``--batch`` sessions, well inside FoundationDB's
5 s and 10 MB limits. Prints one JSON line: the manifest the harness reads.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import django

BENCH_PASSWORD = "Kq7-vRm2-pLx9-zT4w"  # noqa: S105 -- seeded users of a throwaway store
SERVICE_LIMIT = 1000  # tenants up to this size are seeded through the service itself


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.seed")
    parser.add_argument("--sizes", default="10,1000,100000")
    parser.add_argument("--list-size", type=int, default=20)
    parser.add_argument("--batch", type=int, default=2000)
    args = parser.parse_args()
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from accounts.records import Principal
    from accounts.services import user_register
    from config.api import clock
    from fdbstore.connection import get_database
    from sessions_api.records import Session
    from sessions_api.repositories import sessions
    from sessions_api.services import session_create

    try:
        from config.api.ids import uuid7
    except ImportError:  # before the ids moved to config.api
        from sessions_api.ids import uuid7  # type: ignore[no-redef]

    db = get_database()
    started = time.monotonic()

    def register(key: str) -> dict:
        result = user_register(
            email=f"bench-{key.replace('_', '-')}@bench.example",
            password=BENCH_PASSWORD,
            first_name="Bench",
            last_name=key.replace("_", " ").title(),
        )
        user = result.account.user
        principal = Principal(
            user_id=user.id,
            tenant_id=_tenant_of(user.id),
            email=user.email,
            jti="seed",
            issued_at=0,
            expires_at=0,
        )
        return {"email": user.email, "password": BENCH_PASSWORD, "principal": principal}

    def fill(principal: Principal, count: int) -> list[str]:
        """Give the principal's tenant ``count`` sessions; return a few of their ids."""
        ids: list[str] = []
        if count <= SERVICE_LIMIT:
            for i in range(count):
                session = session_create(
                    principal=principal, name=f"Session {i}", workspace_path=f"/workspace/s{i}"
                )
                ids.append(str(session.id))
            return ids[:5]
        done = 0
        while done < count:
            batch = []
            for i in range(done, min(count, done + args.batch)):
                now = clock.now()
                batch.append(
                    Session(
                        id=uuid7(now),
                        tenant_id=principal.tenant_id,
                        user_id=principal.user_id,
                        name=f"Session {i}",
                        workspace_path=f"/workspace/s{i}",
                        created_at=now,
                        updated_at=now,
                    )
                )

            def write(tr, batch=batch) -> None:
                for session in batch:
                    sessions.insert(tr, session)

            db.transact(write)
            done += len(batch)
            if len(ids) < 5:
                ids.extend(str(s.id) for s in batch[: 5 - len(ids)])
        return ids

    plan = {"list": args.list_size, "create": 0, "login": 0, "avatar": 0}
    plan.update({f"size_{size}": size for size in sizes})
    users: dict[str, dict] = {}
    for key, count in plan.items():
        user = register(key)
        principal = user.pop("principal")
        t0 = time.monotonic()
        user["session_ids"] = fill(principal, count)
        user.update(
            sessions=count,
            user_id=str(principal.user_id),
            tenant_id=str(principal.tenant_id),
            seconds=round(time.monotonic() - t0, 2),
        )
        if key == "avatar":  # the avatar scenario's image (issue 9)
            user["avatar_url"] = _avatar(principal.user_id)
        users[key] = user
        print(f"seeded {key}: {count} sessions in {user['seconds']} s", file=sys.stderr)
    summary = ", ".join(f"{k}={v['sessions']}" for k, v in users.items())
    elapsed = time.monotonic() - started
    print(json.dumps({"users": users, "summary": f"{summary} ({elapsed:.1f} s)"}))


def _avatar(user_id) -> str:
    """Give the user an avatar made from a photo-like 1600x1200 JPEG; return its URL."""
    import io

    from PIL import Image

    from accounts.avatars import avatar_set, avatar_url

    size = (1600, 1200)
    noise = Image.effect_noise(size, 48).convert("RGB")
    photo = Image.blend(noise, Image.linear_gradient("L").resize(size).convert("RGB"), 0.6)
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=85)
    return avatar_url(avatar_set(user_id=user_id, data=out.getvalue(), declared="image/jpeg"))


def _tenant_of(user_id):
    from tenancy.records import self_tenant_id

    return self_tenant_id(user_id)


if __name__ == "__main__":
    main()
