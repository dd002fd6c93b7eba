"""Invitation codes and API keys: made at random, stored only as keyed digests.

A digest is HMAC-SHA256 of the secret under ``SECRET_KEY`` (the JWT secret),
in hex: a copy of the store alone neither yields a usable secret nor lets one
test guesses offline. Both secrets carry 256 random bits, so one digest
lookup (an index read) finds them; no slow hash is needed. Rotating
``JWT_SECRET`` voids every code and key, as it voids every token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

API_KEY_PREFIX = "cdt_"
SHOWN_PREFIX = 12  # characters of a key its listing shows ("cdt_" and 8 more)
MAX_SECRET = 200  # longer input is no code or key of ours: refused before hashing


def digest(secret: str) -> str:
    """The keyed digest (hex) a code or key is stored and looked up by."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, secret.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def new_invitation_code() -> str:
    return secrets.token_urlsafe(32)


def new_api_key() -> str:
    """``cdt_`` and 43 URL-safe characters (256 bits): recognisable in a leak scan."""
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def looks_like_api_key(raw: bytes) -> bool:
    return raw.startswith(API_KEY_PREFIX.encode())
