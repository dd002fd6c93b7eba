"""The login throttle, applied to requests that check the current password.

``PATCH /auth/me`` with ``currentPassword`` and ``POST /auth/password`` let a
token's bearer guess the account's password; each such request counts in the
``login`` scope, per client address and per the account's email, the very
counters ``POST /auth/login`` uses, so guessing through either door spends the
same budget.
"""

from __future__ import annotations

from config.api.throttling import LoginThrottle, _digest


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
