"""Reading an avatar upload: a raw image body, or a browser's multipart form.

``PUT /auth/me/avatar`` takes the image either as the whole body
(``Content-Type: image/png|jpeg|webp|gif``) or as ``multipart/form-data`` with
one file field ``avatar`` (what ``FormData`` sends). Either way the request is
at most ``MAX_UPLOAD_BYTES`` on the wire: a larger ``Content-Length`` is a 413
before a byte of the body is read, and the raw parser never reads more than
one byte past the limit. Multipart files are held in memory (the body is small
and bounded), never spooled to a temporary file.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.files.uploadhandler import MemoryFileUploadHandler
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.exceptions import UnsupportedMediaType as DrfUnsupportedMediaType

from accounts.images import ACCEPTED_TYPES, InvalidImage
from config.api.errors import PayloadTooLarge, UnsupportedMediaType, ValidationFailed

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
FIELD = "avatar"


class AvatarMediaType(UnsupportedMediaType):
    default_detail = (
        "Send the image as the body with Content-Type image/png, image/jpeg, image/webp "
        "or image/gif, or as multipart/form-data with one file field 'avatar'."
    )


class TooLarge(PayloadTooLarge):
    default_detail = f"The upload is larger than 5 MiB ({MAX_UPLOAD_BYTES:,} bytes)."


@dataclass(frozen=True)
class ImageUpload:
    content: bytes
    declared: str  # the media type the client declared


def media_type_of(value: str | None) -> str:
    return (value or "").split(";")[0].strip().lower()


class RawImageParser(parsers.BaseParser):
    """``image/*`` bodies: the four accepted types, read up to the limit."""

    media_type = "image/*"

    def parse(self, stream, media_type=None, parser_context=None) -> ImageUpload:
        declared = media_type_of(media_type)
        if declared not in ACCEPTED_TYPES:
            raise AvatarMediaType(f"{declared} is not accepted. {AvatarMediaType.default_detail}")
        content = b"" if stream is None else stream.read(MAX_UPLOAD_BYTES + 1)
        if len(content) > MAX_UPLOAD_BYTES:
            raise TooLarge()
        return ImageUpload(content, declared)


class _InMemory(MemoryFileUploadHandler):
    """Django's memory handler, for every size (the body is bounded before parsing)."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.activated = True


def check_length(request) -> None:
    """413 from ``Content-Length`` alone, before the body is touched."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_UPLOAD_BYTES:
        raise TooLarge()


def read_upload(request) -> ImageUpload:
    """The uploaded image of a ``PUT /auth/me/avatar`` request, or the error saying why not."""
    check_length(request)
    request.upload_handlers = [_InMemory(request._request)]
    try:
        data = request.data
    except DrfUnsupportedMediaType:
        raise AvatarMediaType() from None
    except (ParseError, SuspiciousOperation) as exc:
        if isinstance(exc, RequestDataTooBig):
            raise TooLarge() from None
        raise ValidationFailed("The multipart body is malformed.") from None
    if isinstance(data, ImageUpload):
        if not data.content:
            raise InvalidImage("The image is empty.")
        return data
    if media_type_of(request.content_type) != "multipart/form-data":
        # No body (DRF parses nothing then, whatever the type): a body without a
        # Content-Type, or with another one, was a 415 above.
        raise InvalidImage("The body is empty. " + AvatarMediaType.default_detail)
    return _form_file(request.POST, request.FILES)  # request.data holds both


def _form_file(fields, files) -> ImageUpload:
    problems: dict[str, list[str]] = {}
    for name in list(fields)[:10]:
        problems[str(name)[:64]] = ["Unknown field."]
    for name in list(files)[:10]:
        if name != FIELD:
            problems[str(name)[:64]] = ["Unknown file field."]
    uploaded = files.getlist(FIELD)
    if not uploaded:
        problems[FIELD] = ["The form has no 'avatar' file."]
    elif len(uploaded) > 1:
        problems[FIELD] = [f"Send one file, not {len(uploaded)}."]
    if problems:
        raise ValidationFailed(details=problems)
    upload = uploaded[0]
    content = upload.read()
    if not content:
        raise InvalidImage("The image is empty.")
    declared = media_type_of(upload.content_type)
    if declared not in ACCEPTED_TYPES:
        raise InvalidImage(
            f"The avatar file was sent as {declared or 'no type'}; "
            "send image/png, image/jpeg, image/webp or image/gif."
        )
    return ImageUpload(content, declared)


class AvatarMultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser; ``read_upload`` gives it the in-memory handler."""
