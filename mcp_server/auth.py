"""Credentials for the MCP endpoint: exactly the REST API's authentication.

The ``Authorization`` header goes through DRF's configured authentication
classes (``REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]``) on a DRF request
built around it, so a token (or any credential REST accepts, such as a
tenant API key) is checked by the same code: signature, expiry, revocation."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.settings import api_settings

from accounts.records import Principal
from config.api.errors import ApiError, NotAuthenticated
from config.api.handlers import as_api_error

DEFAULT_CHALLENGE = 'Bearer realm="api"'


@dataclass(frozen=True)
class Refusal:
    """A 401 (or 503) to answer instead of serving the request."""

    status: int
    code: str
    message: str
    challenge: str


def authenticate(authorization: str | None) -> Principal | Refusal:
    """The principal the ``Authorization`` header value stands for, or why not.

    Blocking (a store read for revocation): call it from a worker thread."""
    http = HttpRequest()
    http.method = "POST"
    if authorization is not None:
        http.META["HTTP_AUTHORIZATION"] = authorization
    authenticators = [cls() for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES]
    request = Request(http, authenticators=authenticators)
    challenge = _challenge(authenticators, request)
    try:
        user = request.user
    except Exception as exc:
        error: ApiError = as_api_error(exc)
        return Refusal(error.status_code, error.default_code, error.message, challenge)
    if not isinstance(user, Principal):
        error = NotAuthenticated()
        return Refusal(401, error.default_code, error.message, challenge)
    return user


def _challenge(authenticators: list, request: Request) -> str:
    for authenticator in authenticators:
        header = authenticator.authenticate_header(request)
        if header:
            return header
    return DEFAULT_CHALLENGE
