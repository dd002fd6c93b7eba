"""Account records: the stored user, and the principal a token stands for."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class User:
    """A registered user, stored at ``users/{id}`` (schema version 2).

    ``email`` is the normalised address (trimmed, case-folded): the one the
    unique index holds and the one the API shows. ``avatar_id`` is the blob id
    of the user's avatar (``Avatar``), None without one; version 1 records had
    no such field and read as None."""

    id: uuid.UUID
    email: str
    first_name: str
    last_name: str
    company: str | None
    password_hash: str
    created_at: datetime
    updated_at: datetime
    avatar_id: uuid.UUID | None = None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class Avatar:
    """A user's avatar, stored at ``avatars/{user_id}``: the re-encoded image's blob
    (``fdbstore/blobs.py``) and what serving it needs. ``digest`` (SHA-256 of the
    bytes, hex) is the ETag."""

    user_id: uuid.UUID
    blob_id: uuid.UUID
    media_type: str
    size: int
    digest: str
    width: int
    height: int
    updated_at: datetime


@dataclass(frozen=True)
class Account:
    """A user as seen from one tenant: the user plus their role there."""

    user: User
    role: str


@dataclass(frozen=True)
class AuthResult:
    token: str
    account: Account


@dataclass(frozen=True, kw_only=True)  # keyword-only: fields are added over time
class Principal:
    """Who a request acts for, built from a verified token's claims alone.

    DRF sets it as ``request.user``; ``tenant_id`` decides everything its
    bearer may see. A token's claims give the identity; authentication adds
    ``role`` (the membership read on every request); an API key sets
    ``api_key_id``, and ``jti`` is then empty (an API key is not a token)."""

    user_id: uuid.UUID
    tenant_id: uuid.UUID
    email: str
    jti: str
    issued_at: int
    expires_at: int
    role: str | None = None  # the role in ``tenant_id``, read from the store per request
    api_key_id: uuid.UUID | None = None  # set when an API key, not a token, authenticated

    is_authenticated = True
    is_anonymous = False

    @property
    def pk(self) -> uuid.UUID:
        return self.user_id


def normalize_email(email: str) -> str:
    """The form emails are compared and stored in: trimmed and case-folded."""
    return email.strip().casefold()
