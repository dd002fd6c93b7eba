"""Bearer-token authentication without the ORM.

simplejwt finds and decodes the token; the principal comes from its claims
alone (``JWTStatelessUserAuthentication``), and revocation -- logout, or a
password change since the token was issued -- from fdbstore, in one batched
read per request, so every process and node sees it at once.
"""

from __future__ import annotations

from rest_framework_simplejwt.authentication import JWTStatelessUserAuthentication
from rest_framework_simplejwt.exceptions import ExpiredTokenError, TokenError

from accounts.errors import TokenExpired, TokenInvalid, TokenRevoked
from accounts.records import Principal
from accounts.selectors import token_is_revoked
from accounts.tokens import ApiAccessToken


class BearerTokenAuthentication(JWTStatelessUserAuthentication):
    """``Authorization: Bearer <token>``; ``request.user`` becomes a ``Principal``."""

    def get_raw_token(self, header: bytes) -> bytes | None:
        """The token after ``Bearer`` (any case); None for another scheme."""
        parts = header.split()
        if not parts or parts[0].lower() != b"bearer":
            return None
        if len(parts) != 2:
            raise TokenInvalid("The Authorization header must be: Bearer <token>.")
        return parts[1]

    def get_validated_token(self, raw_token: bytes) -> ApiAccessToken:
        try:
            return ApiAccessToken(raw_token)
        except ExpiredTokenError:
            raise TokenExpired() from None
        except TokenError:
            raise TokenInvalid() from None

    def get_user(self, validated_token: ApiAccessToken) -> Principal:  # type: ignore[override]
        principal = validated_token.principal()
        if token_is_revoked(principal=principal):
            raise TokenRevoked()
        return principal
