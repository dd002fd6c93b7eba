"""The API's access token: simplejwt's ``AccessToken`` with the guide's claims.

HS256, signed with ``JWT_SECRET``, valid 24 hours (``SIMPLE_JWT``). Claims,
in the guide's order: ``sub`` (user id), ``tenant_id``, ``email``, ``exp``,
``iat``, and ``jti``: a UUIDv7 in its canonical spelling, the id logout
revokes, whose millisecond timestamp orders the token against the user's
revocation floor (``accounts/selectors.py``); a token whose ``jti`` is not a
UUIDv7 is invalid. simplejwt's ``token_type`` claim is switched off
(``TOKEN_TYPE_CLAIM = None``): there is one kind of token. Decoding checks
the signature, the algorithm (``alg: none`` and every other algorithm are
refused) and ``exp``; ``verify`` adds the shape of the claims a ``Principal``
is built from.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken
from rest_framework_simplejwt.utils import datetime_to_epoch

from accounts.records import Principal
from config.api.ids import epoch_ms, is_uuid7, uuid7_at


class ApiAccessToken(AccessToken):
    @classmethod
    def issue(
        cls,
        *,
        user_id: uuid.UUID,
        tenant_id: uuid.UUID,
        email: str,
        now: datetime,
        jti: uuid.UUID | None = None,
    ) -> ApiAccessToken:
        """Return a new token for ``user_id`` acting in ``tenant_id``, issued at ``now``.

        ``jti`` defaults to a UUIDv7 of ``now``; login passes one that sorts after
        the user's token floor (``accounts.revocation.token_jti``)."""
        token = cls()
        issued = datetime_to_epoch(now)
        token.payload = {
            "sub": str(user_id),
            "tenant_id": str(tenant_id),
            "email": email,
            "exp": datetime_to_epoch(now + cls.lifetime),
            "iat": issued,
            "jti": str(jti or uuid7_at(epoch_ms(now))),
        }
        return token

    def verify(self) -> None:
        # Claim shapes first: simplejwt's exp check turns ``exp`` into a datetime
        # and would crash (500) on a string, or on an int past year 9999.
        self.principal()
        try:
            super().verify()
        except (OverflowError, ValueError):
            raise TokenError("Token claims are malformed") from None

    def principal(self) -> Principal:
        """Return the principal the claims describe; ``TokenError`` if they are malformed."""
        claims = self.payload
        try:
            principal = Principal(
                user_id=uuid.UUID(claims["sub"]),
                tenant_id=uuid.UUID(claims["tenant_id"]),
                email=claims["email"],
                jti=claims["jti"],
                issued_at=claims["iat"],
                expires_at=claims["exp"],
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise TokenError("Token claims are malformed") from None
        ints = (principal.issued_at, principal.expires_at)
        if any(isinstance(v, bool) or not isinstance(v, int) for v in ints):
            raise TokenError("Token claims are malformed")
        if not isinstance(principal.email, str) or not principal.email:
            raise TokenError("Token claims are malformed")
        if not _is_canonical_uuid7(principal.jti):
            raise TokenError("Token claims are malformed")
        return principal


def _is_canonical_uuid7(value: object) -> bool:
    """A UUIDv7 spelled as ``str(uuid)`` writes it: one spelling, one revocation key."""
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        return False
    return str(parsed) == value and is_uuid7(parsed)
