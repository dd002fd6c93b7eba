"""One small exception class per failure: status, machine code and default message.

Every error the API answers with is one of these (or a DRF/Django exception
that ``config.api.handlers.exception_handler`` maps onto the same envelope)::

    {"success": false, "error": {"code": "...", "message": "...", "details": {...}}}

Domain apps subclass ``ApiError`` for their own failures (``EmailTaken``,
``SessionNotFound``, ...) so that services raise meaningful errors and the
handler alone decides how they look on the wire.
"""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.exceptions import APIException


class ApiError(APIException):
    """Base of the API's own errors. Subclasses set the three class attributes."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "bad_request"
    default_detail = "The request could not be processed."

    def __init__(self, message: str | None = None, *, details: Any = None) -> None:
        super().__init__(message or self.default_detail, self.default_code)
        self.message = str(message or self.default_detail)
        self.details = details


class ValidationFailed(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "validation_error"
    default_detail = "The request body or parameters are invalid."


class NotAuthenticated(ApiError):
    status_code = status.HTTP_401_UNAUTHORIZED
    default_code = "not_authenticated"
    default_detail = "Authentication credentials were not provided."


class NotFound(ApiError):
    status_code = status.HTTP_404_NOT_FOUND
    default_code = "not_found"
    default_detail = "The requested resource was not found."


class MethodNotAllowed(ApiError):
    status_code = status.HTTP_405_METHOD_NOT_ALLOWED
    default_code = "method_not_allowed"
    default_detail = "This method is not allowed on this resource."


class PayloadTooLarge(ApiError):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"
    default_detail = "The request body is too large."


class UnsupportedMediaType(ApiError):
    status_code = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
    default_code = "unsupported_media_type"
    default_detail = "Send the request body as JSON (Content-Type: application/json)."


class Throttled(ApiError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "throttled"
    default_detail = "Too many requests; try again later."

    def __init__(self, wait: int) -> None:
        super().__init__(f"Too many requests; try again in {wait} seconds.")
        self.wait = wait


class InternalError(ApiError):
    status_code = status.HTTP_500_INTERNAL_SERVER_ERROR
    default_code = "internal_error"
    default_detail = "An unexpected error occurred; it has been logged."


class StoreUnavailable(ApiError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "store_unavailable"
    default_detail = "The data store is unavailable; try again shortly."
