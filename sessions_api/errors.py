from __future__ import annotations

from config.api.errors import ApiError, NotFound, ValidationFailed


class SessionNotFound(NotFound):
    """Unknown, malformed, deleted or another tenant's: one body for all."""

    default_code = "session_not_found"
    default_detail = "Session not found."


class InvalidCursor(ValidationFailed):
    default_code = "validation_error"
    default_detail = "The request parameters are invalid."


class SessionPermissionDenied(ApiError):
    """A member deleting another member's session without the role for it."""

    status_code = 403
    default_code = "permission_denied"
    default_detail = "Deleting another member's session needs the admin or owner role."
