"""Account records: the stored user, and the principal a token stands for."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class User:
    """A registered user, stored at ``users/{id}`` (schema version 1).

    ``email`` is the normalised address (trimmed, case-folded): the one the
    unique index holds and the one the API shows."""

    id: uuid.UUID
    email: str
    first_name: str
    last_name: str
    company: str | None
    password_hash: str
    created_at: datetime
    updated_at: datetime

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class Account:
    """A user as seen from one tenant: the user plus their role there."""

    user: User
    role: str


@dataclass(frozen=True)
class AuthResult:
    token: str
    account: Account


@dataclass(frozen=True)
class Principal:
    """Who a request acts for, built from a verified token's claims alone.

    DRF sets it as ``request.user``; ``tenant_id`` decides everything its
    bearer may see."""

    user_id: uuid.UUID
    tenant_id: uuid.UUID
    email: str
    jti: str
    issued_at: int
    expires_at: int

    is_authenticated = True
    is_anonymous = False

    @property
    def pk(self) -> uuid.UUID:
        return self.user_id


def normalize_email(email: str) -> str:
    """The form emails are compared and stored in: trimmed and case-folded."""
    return email.strip().casefold()
