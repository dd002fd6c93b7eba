"""``/api/v5/sessions/{sessionId}/files...`` and ``/api/v5/usage``.

File bodies travel raw: a PUT's body is read in chunks straight into the blob
store; a GET of a file up to 1 MiB is read with its entry in one transaction
and answered whole, a bigger one streams from the blob a piece (1 MiB) per
transaction. Everything else (metadata, listings, errors) is the envelope.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from itertools import chain
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework.views import APIView

from config.api.envelope import EnvelopeResponse
from config.api.errors import ValidationFailed
from config.api.routers import HTTP_METHODS
from config.api.schema import envelope, errors
from fdbstore.blobs import CHUNK_SIZE, BlobMissing, blob_read
from fdbstore.connection import get_database
from files.conditions import Preconditions, not_modified, parse_range, parse_tags
from files.errors import (
    Conflict,
    IncompleteBody,
    IsADirectory,
    LengthRequired,
    RangeNotSatisfiable,
)
from files.paths import join, parse_path
from files.selectors import SMALL_FILE_BYTES, file_fetch, file_list_query, usage_of
from files.serializers import (
    EntrySerializer,
    FileListQuerySerializer,
    FileTreeOpSerializer,
    UsageSerializer,
    entry_data,
)
from files.services import file_copy, file_delete, file_move, file_put
from sessions_api.serializers import PageMetaSerializer

logger = logging.getLogger(__name__)

EntryEnvelope = envelope("FileEntryResponse", EntrySerializer())
EntryPageEnvelope = envelope(
    "FileListResponse", EntrySerializer(many=True), meta=PageMetaSerializer()
)
UsageEnvelope = envelope("UsageResponse", UsageSerializer())
_E412 = "If-Match or If-None-Match not satisfied."
_E416 = "The range lies outside the file (`Content-Range: bytes */size`)."
_E411 = "No Content-Length: a file is sent with its length."
_SID = OpenApiParameter("sessionId", OpenApiTypes.UUID, OpenApiParameter.PATH)
_PATH = OpenApiParameter(
    "path", OpenApiTypes.STR, OpenApiParameter.PATH, description="The file's path."
)


class FilesView(APIView):
    http_method_names = HTTP_METHODS

    def perform_content_negotiation(self, request, force=False):
        # A file is served whatever the client accepts, and errors are JSON
        # regardless: what DRF's forced negotiation ends in, without parsing the
        # Accept header first (7 us a request, 0.6 without).
        renderer = self.get_renderers()[0]
        return renderer, renderer.media_type


def _preconditions(request) -> Preconditions:
    return Preconditions(
        if_match=parse_tags(request.META.get("HTTP_IF_MATCH")),
        if_none_match=parse_tags(request.META.get("HTTP_IF_NONE_MATCH")),
    )


def _content_type(request) -> str | None:
    value = request.META.get("CONTENT_TYPE", "").strip()
    if not value or value.startswith("application/x-www-form-urlencoded"):
        return None  # absent, or curl's default for --data-binary: guess from the name
    if len(value) > 255 or not value.isascii() or not value.isprintable():
        raise ValidationFailed("Content-Type must be printable ASCII of at most 255 characters.")
    return value


def _body(request) -> tuple[Iterator[bytes], int]:
    raw = request.META.get("CONTENT_LENGTH")
    if raw is None or raw.strip() == "":
        if request.META.get("HTTP_TRANSFER_ENCODING"):  # chunked: the length is unknown
            raise LengthRequired()
        raw = "0"  # no Content-Length and no Transfer-Encoding: no body (RFC 9112 6.3)
    if not raw.strip().isdigit() or len(raw) > 19:
        raise ValidationFailed("Content-Length must be a whole number of bytes.")
    length = int(raw)
    stream = request._request  # Django's request: read in chunks, never whole

    def pieces() -> Iterator[bytes]:
        remaining = length
        while remaining > 0:
            try:
                piece = stream.read(min(CHUNK_SIZE, remaining))
            except Exception as exc:  # the client went away mid-body
                logger.info("upload cut short: %r", exc)
                raise IncompleteBody() from exc
            if not piece:
                logger.info("upload cut short: %d bytes missing", remaining)
                raise IncompleteBody()
            remaining -= len(piece)
            yield piece

    return pieces(), length


def _file_headers(response: HttpResponse, entry) -> None:
    response["ETag"] = entry.etag
    response["Last-Modified"] = http_date(entry.updated_ms / 1000)
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"  # a stored page never runs as the API's origin


class FileView(FilesView):
    @extend_schema(
        summary="Download a file",
        operation_id="files_get",
        parameters=[_SID, _PATH],
        responses={
            (200, "*/*"): OpenApiTypes.BINARY,
            304: OpenApiResponse(description="Not modified (If-None-Match)."),
            **errors(400, 401, 404, 409, 503, e416=_E416),
        },
    )
    def get(self, request, sessionId: str, path: str) -> HttpResponse:
        return self._serve(request, sessionId, path, body=True)

    def head(self, request, sessionId: str, path: str) -> HttpResponse:
        return self._serve(request, sessionId, path, body=False)

    def _serve(self, request, session_id: str, path: str, *, body: bool) -> HttpResponse:
        parts = parse_path(path)
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        # A file of up to one read piece (1 MiB) comes with its entry, in one
        # transaction; a bigger one streams from its blob afterwards. A
        # revalidation (If-None-Match) is most often a 304: its content stays put.
        small = SMALL_FILE_BYTES if body and not if_none_match else 0
        for _attempt in range(3):
            try:
                fetched = file_fetch(
                    principal=request.user, session_id=session_id, parts=parts, small=small
                )
            except BlobMissing:
                continue
            entry = fetched.entry
            if entry.is_dir:
                raise IsADirectory("This path names a directory; list it with GET files?path=.")
            if not_modified(entry, parse_tags(if_none_match)):
                response = HttpResponse(status=304)
                _file_headers(response, entry)
                return response
            span = self._range(request, entry)
            start, stop = span or (0, entry.size)
            status = 206 if span else 200
            if not body:
                response = HttpResponse(status=status, content_type=entry.content_type)
                break
            if fetched.content is not None:
                response = HttpResponse(
                    fetched.content[start:stop], status=status, content_type=entry.content_type
                )
                break
            pieces = blob_read(get_database(), entry.blob, entry.size, start=start, stop=stop)
            try:  # the first piece now: a version replaced meanwhile is looked up again
                first = next(pieces) if stop > start else b""
            except BlobMissing:
                continue
            if len(first) == stop - start:  # all of it in one piece: no stream to drive
                pieces.close()
                response = HttpResponse(first, status=status, content_type=entry.content_type)
            else:
                response = StreamingHttpResponse(
                    chain((first,), pieces), status=status, content_type=entry.content_type
                )
            break
        else:
            raise Conflict("The file kept changing while it was read; try again.")
        _file_headers(response, entry)
        response["Content-Length"] = str(stop - start)
        if span:
            response["Content-Range"] = f"bytes {start}-{stop - 1}/{entry.size}"
        return response

    def _range(self, request, entry) -> tuple[int, int] | None:
        if_range = request.META.get("HTTP_IF_RANGE")
        if if_range is not None and if_range.strip() != entry.etag:
            return None
        try:
            return parse_range(request.META.get("HTTP_RANGE"), entry.size)
        except RangeNotSatisfiable as exc:
            exc.content_range = f"bytes */{entry.size}"  # type: ignore[attr-defined]
            raise

    def handle_exception(self, exc: Exception) -> HttpResponse:
        response = super().handle_exception(exc)
        if isinstance(exc, RangeNotSatisfiable) and hasattr(exc, "content_range"):
            response["Content-Range"] = exc.content_range
        return response

    @extend_schema(
        summary="Create or replace a file",
        operation_id="files_put",
        description="The raw body is the file. `If-Match` replaces only that version, "
        "`If-None-Match: *` only creates. Parents are created.",
        parameters=[_SID, _PATH],
        request={"*/*": OpenApiTypes.BINARY},
        responses={
            201: EntryEnvelope,
            200: EntryEnvelope,
            **errors(400, 401, 404, 409, 413, 503, e411=_E411, e412=_E412),
        },
    )
    def put(self, request, sessionId: str, path: str) -> EnvelopeResponse:
        parts = parse_path(path)
        content_type = _content_type(request)
        pieces, length = _body(request)
        written = file_put(
            principal=request.user,
            session_id=sessionId,
            parts=parts,
            body=pieces,
            length=length,
            content_type=content_type,
            pre=_preconditions(request),
        )
        response = EnvelopeResponse(
            entry_data(join(parts), written.entry), status=201 if written.created else 200
        )
        response["ETag"] = written.entry.etag
        return response

    @extend_schema(
        summary="Delete a file or a directory",
        operation_id="files_delete",
        parameters=[_SID, _PATH, OpenApiParameter("recursive", OpenApiTypes.BOOL)],
        responses={204: None, **errors(400, 401, 404, 409, 503, e412=_E412)},
    )
    def delete(self, request, sessionId: str, path: str) -> EnvelopeResponse:
        recursive = _flag(request.query_params.get("recursive"), "recursive")
        file_delete(
            principal=request.user,
            session_id=sessionId,
            parts=parse_path(path),
            recursive=recursive,
            pre=_preconditions(request),
        )
        return EnvelopeResponse(status=204)


def _flag(value: str | None, name: str) -> bool:
    if value in (None, "", "false", "0"):
        return False
    if value in ("true", "1"):
        return True
    raise ValidationFailed(details={name: ["Must be true or false."]})


class FolderListView(FilesView):
    @extend_schema(
        summary="List a directory",
        operation_id="files_list",
        parameters=[_SID, FileListQuerySerializer],
        responses={200: EntryPageEnvelope, **errors(400, 401, 404, 503)},
    )
    def get(self, request, sessionId: str) -> EnvelopeResponse:
        query = FileListQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        data: dict[str, Any] = query.validated_data
        listing = file_list_query(principal=request.user, session_id=sessionId, query=data)
        items = [entry_data(path, entry) for path, entry in listing.items]
        return EnvelopeResponse(
            items, meta={"nextCursor": listing.next_cursor, "limit": data["limit"]}
        )


class FileTreeOpView(FilesView):
    """``files:move`` and ``files:copy``: ``{from, to, overwrite}``."""

    op = "move"

    def post(self, request, sessionId: str) -> EnvelopeResponse:
        body = FileTreeOpSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        target = parse_path(data["to"])
        common = {
            "principal": request.user,
            "session_id": sessionId,
            "source": parse_path(data["from"]),
            "target": target,
            "overwrite": data["overwrite"],
        }
        if self.op == "move":
            return EnvelopeResponse(entry_data(join(target), file_move(**common)))
        written = file_copy(**common)
        status = 201 if written.created else 200
        return EnvelopeResponse(entry_data(join(target), written.entry), status=status)


@extend_schema_view(
    post=extend_schema(
        summary="Move a file or a directory",
        operation_id="files_move",
        description="Renames a file or a whole directory in one small transaction, whatever "
        "it holds, creating missing parents of `to`. `overwrite` lets a file replace a file; "
        "a directory is never replaced (409).",
        parameters=[_SID],
        request=FileTreeOpSerializer,
        responses={200: EntryEnvelope, **errors(400, 401, 404, 409, 413, 415, 503)},
    )
)
class FileMoveView(FileTreeOpView):
    op = "move"


@extend_schema_view(
    post=extend_schema(
        summary="Copy a file",
        operation_id="files_copy",
        description="Copies a file's content to `to` (files only: a directory is 409 "
        "`is_a_directory`), creating missing parents; `overwrite` replaces a file there.",
        parameters=[_SID],
        request=FileTreeOpSerializer,
        responses={
            200: EntryEnvelope,
            201: EntryEnvelope,
            **errors(400, 401, 404, 409, 413, 415, 503),
        },
    )
)
class FileCopyView(FileTreeOpView):
    op = "copy"


class UsageView(FilesView):
    @extend_schema(
        summary="The tenant's file usage and quotas",
        operation_id="usage_get",
        responses={200: UsageEnvelope, **errors(401, 503)},
    )
    def get(self, request) -> EnvelopeResponse:
        return EnvelopeResponse(usage_of(principal=request.user))
