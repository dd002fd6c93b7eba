"""Bearer-token authentication without the ORM.

simplejwt finds and decodes the token; the principal comes from its claims
alone (``JWTStatelessUserAuthentication``), and revocation -- logout, or a
password change since the token was issued -- from fdbstore, in one batched
read per request, so every process and node sees it at once. A token switched
to an organisation also reads its user's membership there in that same read
(``token_access``): the principal's ``role`` is the stored one, now. A bearer
value starting ``cdt_`` is an API key (``tenancy.apikeys``), looked up by its
digest in one read.

A token is decoded and its signature checked once per worker, not once per
request (about 200 µs each time): ``_verified`` remembers the tokens it
accepted, keyed by their exact bytes and the signing key. What can change
while a token is remembered is checked on every request: its expiry, and
revocation.
"""

from __future__ import annotations

import dataclasses
import time
from functools import lru_cache

from rest_framework_simplejwt.authentication import JWTStatelessUserAuthentication
from rest_framework_simplejwt.exceptions import ExpiredTokenError, TokenError
from rest_framework_simplejwt.settings import api_settings

from accounts.errors import TokenExpired, TokenInvalid, TokenRevoked
from accounts.records import Principal
from accounts.selectors import token_access, token_is_revoked
from accounts.tokens import ApiAccessToken
from tenancy.apikeys import api_key_principal
from tenancy.errors import NotAMember
from tenancy.records import OWNER, self_tenant_id
from tenancy.secrets import looks_like_api_key

VERIFIED_TOKENS = 1024  # per worker: about 2 KB each (token, claims, principal)


class BearerTokenAuthentication(JWTStatelessUserAuthentication):
    """``Authorization: Bearer <token>``; ``request.user`` becomes a ``Principal``."""

    def authenticate(self, request) -> tuple[Principal, ApiAccessToken] | None:
        header = self.get_header(request)
        raw_token = None if header is None else self.get_raw_token(header)
        if raw_token is None:
            return None
        if looks_like_api_key(raw_token):
            return api_key_principal(raw_token), None
        token, principal = self.verified(raw_token)  # one decode, one Principal
        return _unrevoked(principal), token

    def get_raw_token(self, header: bytes) -> bytes | None:
        """The token after ``Bearer`` (any case); None for another scheme."""
        parts = header.split()
        if not parts or parts[0].lower() != b"bearer":
            return None
        if len(parts) != 2:
            raise TokenInvalid("The Authorization header must be: Bearer <token>.")
        return parts[1]

    def verified(self, raw_token: bytes) -> tuple[ApiAccessToken, Principal]:
        """The token and its principal if the token is valid and unexpired (revocation aside)."""
        try:
            token, principal = _verified(
                raw_token, api_settings.SIGNING_KEY, api_settings.ALGORITHM
            )
        except ExpiredTokenError:
            raise TokenExpired() from None
        except TokenError:
            raise TokenInvalid() from None
        if principal.expires_at <= time.time():  # PyJWT's rule: expired from ``exp`` on
            raise TokenExpired()
        return token, principal

    def get_validated_token(self, raw_token: bytes) -> ApiAccessToken:
        return self.verified(raw_token)[0]

    def get_user(self, validated_token: ApiAccessToken) -> Principal:  # type: ignore[override]
        """simplejwt's hook, kept for callers of the base API; ``authenticate`` skips it."""
        return _unrevoked(validated_token.principal())


def _unrevoked(principal: Principal) -> Principal:
    """``principal`` with its role now, unless its token was logged out or voided by a
    password change (``TokenRevoked``), or its user left its tenant (``NotAMember``)."""
    role = token_access(principal=principal)
    if role is None:
        if token_is_revoked(principal=principal):
            raise TokenRevoked()
        raise NotAMember()
    return principal if role == principal.role else dataclasses.replace(principal, role=role)


@lru_cache(maxsize=VERIFIED_TOKENS)
def _verified(
    raw_token: bytes, signing_key: str, algorithm: str
) -> tuple[ApiAccessToken, Principal]:
    """The decoded token and its principal; a refused token raises and is not remembered.

    The key and algorithm are part of the cache key, so a changed setting re-checks."""
    token = ApiAccessToken(raw_token)
    principal = token.principal()
    if principal.tenant_id == self_tenant_id(principal.user_id):
        principal = dataclasses.replace(principal, role=OWNER)  # a personal tenant's owner
    return token, principal
