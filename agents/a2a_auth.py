"""Authentication for the ASGI face, through the API's own DRF authentication classes.

A user token or a tenant API key, exactly as the REST API takes them
(``REST_FRAMEWORK['DEFAULT_AUTHENTICATION_CLASSES']``): the classes run in a
thread (they read the store for revocation) on a minimal request carrying the
headers. Without a valid credential the answer is 401 with ``WWW-Authenticate``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rest_framework.exceptions import APIException
from rest_framework.settings import api_settings


class _HeaderRequest:
    """What DRF authentication classes read: ``META`` (and ``_request.META``)."""

    def __init__(self, headers: dict[str, str]) -> None:
        self.META = {
            "HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()
        }
        self._request = self


def _authenticate(headers: dict[str, str]) -> Any | None:
    request = _HeaderRequest(headers)
    for authentication in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
        try:
            result = authentication().authenticate(request)
        except APIException:
            return None
        if result is not None:
            return result[0]
    return None


async def principal_of(headers: dict[str, str]) -> Any | None:
    """The request's principal, or None without a valid credential."""
    if "authorization" not in headers:
        return None
    return await asyncio.to_thread(_authenticate, headers)
