"""One exception handler: every failure becomes the error envelope.

``exception_handler`` is DRF's ``EXCEPTION_HANDLER``; the ``handler*`` views
below are Django's error views, so a 404 outside a DRF view (an unknown route
under ``/api``) or a crash in middleware answers with the same envelope.
A store that is busy, recovering or unreachable is a 503 with ``Retry-After``
(``fdbstore.errors.means_unavailable``: the retryable codes the loop gave up
on, timeouts, no store); a FoundationDB client-misuse code (2xxx: 2012, 2101,
...), which no retry cures, is a bug in our code. Anything unrecognised is a
genuine bug: it is logged here, with its traceback, and the client gets a 500
envelope without details.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions as drf
from rest_framework.response import Response

from config.api import errors
from config.api.envelope import error_body
from fdbstore import errors as store_errors
from fdbstore.errors import StoreError

logger = logging.getLogger("config.api")

_DRF_ERRORS: dict[type[drf.APIException], type[errors.ApiError]] = {
    drf.NotAuthenticated: errors.NotAuthenticated,
    drf.NotFound: errors.NotFound,
    drf.UnsupportedMediaType: errors.UnsupportedMediaType,
}


class Forbidden(errors.ApiError):
    status_code = 403
    default_code = "permission_denied"
    default_detail = "You do not have permission to perform this action."


class AuthenticationFailed(errors.ApiError):
    status_code = 401
    default_code = "token_invalid"
    default_detail = "The token is invalid."


def as_api_error(exc: BaseException) -> errors.ApiError:
    """Return the ``ApiError`` that describes ``exc`` (logging it if it is a bug)."""
    if isinstance(exc, errors.ApiError):
        return exc
    if isinstance(exc, drf.ValidationError):
        return errors.ValidationFailed(details=_field_errors(exc.detail))
    if isinstance(exc, drf.Throttled):
        return errors.Throttled(int(exc.wait or 1))
    if isinstance(exc, drf.AuthenticationFailed):
        return AuthenticationFailed()
    if isinstance(exc, (drf.PermissionDenied, PermissionDenied)):
        return Forbidden()
    if isinstance(exc, Http404):
        return errors.NotFound()
    if isinstance(exc, RequestDataTooBig):
        return errors.PayloadTooLarge()
    if isinstance(exc, drf.MethodNotAllowed):
        return errors.MethodNotAllowed(str(exc.detail))
    for drf_type, api_type in _DRF_ERRORS.items():
        if isinstance(exc, drf_type):
            return api_type()
    if isinstance(exc, drf.APIException):  # 406 and the like: keep DRF's status and code
        error = errors.ApiError(str(exc.detail))
        error.status_code, error.default_code = exc.status_code, exc.default_code
        return error
    if isinstance(exc, StoreError) and store_errors.means_unavailable(exc):
        logger.error("store error answered with 503: %s", exc, exc_info=exc)
        return errors.StoreUnavailable()
    logger.error("unhandled %s answered with 500", type(exc).__name__, exc_info=exc)
    return errors.InternalError()


def _field_errors(detail: Any) -> dict[str, Any]:
    """DRF's error detail as plain JSON, always an object keyed by field."""
    if isinstance(detail, dict):
        return {str(key): _plain(value) for key, value in detail.items()}
    return {"nonFieldErrors": _plain(detail if isinstance(detail, list) else [detail])}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return str(value)


def _headers(error: errors.ApiError, exc: BaseException) -> dict[str, str]:
    headers: dict[str, str] = {}
    if error.status_code == 401:
        headers["WWW-Authenticate"] = getattr(exc, "auth_header", None) or 'Bearer realm="api"'
    if isinstance(error, errors.Throttled):
        headers["Retry-After"] = str(error.wait)
    if isinstance(error, errors.StoreUnavailable):
        headers["Retry-After"] = "1"
    return headers


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF's ``EXCEPTION_HANDLER``: answer every exception with the error envelope."""
    error = as_api_error(exc)
    body = error_body(error.default_code, error.message, error.details)
    return Response(body, status=error.status_code, headers=_headers(error, exc))


def _django_error(exc: BaseException, status: int | None = None) -> JsonResponse:
    error = as_api_error(exc)
    body = error_body(error.default_code, error.message, error.details)
    response = JsonResponse(
        body, status=status or error.status_code, json_dumps_params={"separators": (",", ":")}
    )
    for name, value in _headers(error, exc).items():
        response[name] = value
    return response


def not_found(request: HttpRequest, exception: BaseException | None = None) -> JsonResponse:
    """``handler404`` and the catch-all route under ``/api``: the 404 envelope."""
    return _django_error(errors.NotFound())


def bad_request(request: HttpRequest, exception: BaseException | None = None) -> JsonResponse:
    if isinstance(exception, RequestDataTooBig):
        return _django_error(exception)
    return _django_error(errors.ValidationFailed("The request is malformed."))


def forbidden(request: HttpRequest, exception: BaseException | None = None) -> JsonResponse:
    return _django_error(Forbidden())


def server_error(request: HttpRequest) -> JsonResponse:
    """``handler500``: Django has already logged the exception."""
    return _django_error(errors.InternalError())
