"""The account failures, each with its status and machine code."""

from __future__ import annotations

from config.api.errors import ApiError


class EmailTaken(ApiError):
    status_code = 409
    default_code = "email_taken"
    default_detail = "An account with this email already exists."


class InvalidCredentials(ApiError):
    """One body for an unknown email and a wrong password."""

    status_code = 401
    default_code = "invalid_credentials"
    default_detail = "The email or password is incorrect."


class TokenInvalid(ApiError):
    status_code = 401
    default_code = "token_invalid"
    default_detail = "The token is invalid."


class TokenExpired(ApiError):
    status_code = 401
    default_code = "token_expired"
    default_detail = "The token has expired; log in again."


class TokenRevoked(ApiError):
    status_code = 401
    default_code = "token_revoked"
    default_detail = "The token has been revoked; log in again."


class UserNotFound(ApiError):
    status_code = 404
    default_code = "user_not_found"
    default_detail = "No such user."
