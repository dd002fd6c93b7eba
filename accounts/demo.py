"""The integration guide's demo account, for development: ``demo@coditect.ai`` / ``demo``.

The guide's frontend has a demo mode with these credentials. Django's
validators refuse ``demo`` (too short, too common), so ``demo_seed`` skips
them for this one account, keeping the guide's credentials so the frontend
works against a real backend; ``manage.py seed_demo`` runs it only with
``DEBUG`` on (or ``--force``): a known password must not reach production
by accident.

Idempotent: the account is created once (an existing one, whatever its
password now, is left as it is), and the demo sessions have fixed ids
derived from the user's, so running the seed again writes nothing and a
deleted demo session comes back.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from accounts.errors import EmailTaken
from accounts.records import User
from accounts.selectors import user_find
from accounts.services import user_create
from config.api.ids import epoch_ms, uuid7_at
from fdbstore.connection import get_database
from sessions_api.records import Session
from sessions_api.services import session_seed
from tenancy.records import self_tenant_id

DEMO_EMAIL = "demo@coditect.ai"
DEMO_PASSWORD = "demo"  # noqa: S105 -- the guide's public demo password, see above
DEMO_USER = {"first_name": "Demo", "last_name": "User", "company": "Coditect"}
DEMO_SESSIONS = (
    ("Demo project", "/workspace/demo/project"),
    ("Getting started", "/workspace/demo/getting-started"),
)


@dataclass(frozen=True)
class DemoSeed:
    user: User
    user_created: bool
    sessions: list[Session]
    sessions_created: int


def demo_seed() -> DemoSeed:
    """Create the demo account and its demo sessions where missing."""
    try:
        user = user_create(
            email=DEMO_EMAIL, password=DEMO_PASSWORD, validate_password=False, **DEMO_USER
        )
        created = True
    except EmailTaken:
        user = user_find(email=DEMO_EMAIL)
        created = False
    sessions = [_demo_session(user, i, name, path) for i, (name, path) in enumerate(DEMO_SESSIONS)]
    written = get_database().transact(
        lambda tr: sum(session_seed(tr, session=session) for session in sessions)
    )
    return DemoSeed(user, created, sessions, written)


def _demo_session(user: User, index: int, name: str, path: str) -> Session:
    """The ``index``-th demo session: a UUIDv7 fixed by the user's id and creation time."""
    at = user.created_at + timedelta(milliseconds=index)
    entropy = uuid.uuid5(user.id, f"demo-session-{index}").int
    return Session(
        id=uuid7_at(epoch_ms(at), entropy=entropy),
        tenant_id=self_tenant_id(user.id),
        user_id=user.id,
        name=name,
        workspace_path=path,
        created_at=at,
        updated_at=at,
    )
