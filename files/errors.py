"""The files API's failures, each one status and machine code."""

from __future__ import annotations

from rest_framework import status

from config.api.errors import ApiError, NotFound, PayloadTooLarge, ValidationFailed


class InvalidPath(ValidationFailed):
    default_code = "invalid_path"
    default_detail = "The path is not valid."


class FileNotFound(NotFound):
    default_code = "file_not_found"
    default_detail = "No file or directory at this path."


class Conflict(ApiError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "The request conflicts with the file tree."


class IsADirectory(Conflict):
    default_code = "is_a_directory"
    default_detail = "The path names a directory."


class NotADirectory(Conflict):
    default_code = "not_a_directory"
    default_detail = "A parent in the path is a file, not a directory."


class DirectoryNotEmpty(Conflict):
    default_code = "directory_not_empty"
    default_detail = "The directory is not empty; pass ?recursive=true to delete it all."


class AlreadyExists(Conflict):
    default_code = "already_exists"
    default_detail = "Something already exists at the target path."


class PreconditionFailed(ApiError):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = "The file does not match the request's If-Match or If-None-Match."


class QuotaExceeded(PayloadTooLarge):
    default_code = "quota_exceeded"
    default_detail = "The tenant's file quota would be exceeded."


class FileTooLarge(PayloadTooLarge):
    default_code = "file_too_large"
    default_detail = "The file exceeds the largest size allowed."


class IncompleteBody(ValidationFailed):
    default_code = "incomplete_body"
    default_detail = "The request body ended before its Content-Length."


class LengthRequired(ApiError):
    status_code = status.HTTP_411_LENGTH_REQUIRED
    default_code = "length_required"
    default_detail = "Send the file with a Content-Length header."


class RangeNotSatisfiable(ApiError):
    status_code = status.HTTP_416_REQUESTED_RANGE_NOT_SATISFIABLE
    default_code = "range_not_satisfiable"
    default_detail = "The requested range is outside the file."
