"""The login throttle, applied to requests that check the current password, and the
avatar upload throttle.

``PATCH /auth/me`` with ``currentPassword`` and ``POST /auth/password`` let a
token's bearer guess the account's password; each such request counts in the
``login`` scope, per client address and per the account's email, the very
counters ``POST /auth/login`` uses, so guessing through either door spends the
same budget.

``PUT /auth/me/avatar`` decodes and re-encodes an image in a worker thread
(tenths of a second for a 5 MiB photo, more for a large PNG); each upload,
accepted or refused, counts in the ``avatar`` scope per user, before the body
is read. The rate is ``THROTTLE_AVATAR_RATE`` (default ``30/hour``).
"""

from __future__ import annotations

from rest_framework.settings import api_settings

from config.api.throttling import AddressAndEmailThrottle, LoginThrottle, _digest

AVATAR_SCOPE = "avatar"
AVATAR_RATE_DEFAULT = "30/hour"


def avatar_rate() -> str:
    """The avatar upload rate (a settings dict without it, as some tests set, means the default)."""
    return api_settings.DEFAULT_THROTTLE_RATES.get(AVATAR_SCOPE) or AVATAR_RATE_DEFAULT


class CurrentPasswordThrottle(LoginThrottle):
    """``LoginThrottle`` for authenticated requests carrying ``currentPassword``."""

    def identities(self, request) -> list[str]:
        idents = [f"address:{_digest(self.get_ident(request) or 'unknown')}"]
        email = getattr(request.user, "email", None)
        if isinstance(email, str) and email:
            idents.append(f"email:{_digest(email.strip().casefold())}")
        return idents

    def allow_request(self, request, view) -> bool:
        if request.method in ("GET", "HEAD"):
            return True
        data = request.data
        if not isinstance(data, dict) or "currentPassword" not in data:
            return True
        return super().allow_request(request, view)


class AvatarUploadThrottle(AddressAndEmailThrottle):
    """``avatar_rate()`` uploads per window per user, counted before the body is read.

    A request through an API key is refused (403) without counting, so a leaked key
    cannot spend its user's budget."""

    scope = AVATAR_SCOPE

    def rate(self) -> str:
        return avatar_rate()

    def identities(self, request) -> list[str]:
        return [f"user:{request.user.user_id}"]

    def allow_request(self, request, view) -> bool:
        if request.method != "PUT" or getattr(request.user, "api_key_id", None) is not None:
            return True
        return super().allow_request(request, view)
