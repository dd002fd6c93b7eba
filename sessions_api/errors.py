from __future__ import annotations

from config.api.errors import NotFound, ValidationFailed


class SessionNotFound(NotFound):
    """Unknown, malformed, deleted or another tenant's: one body for all."""

    default_code = "session_not_found"
    default_detail = "Session not found."


class InvalidCursor(ValidationFailed):
    default_code = "validation_error"
    default_detail = "The request parameters are invalid."
