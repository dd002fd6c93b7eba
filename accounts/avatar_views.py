"""``PUT``/``DELETE /api/v5/auth/me/avatar`` and ``GET``/``HEAD /api/v5/users/{userId}/avatar``.

The image is served as bytes (not an envelope), readable without a token so
that an ``<img>`` tag works from any page. ``avatarUrl`` carries ``?v=`` with
the avatar's blob id: fetched with the current ``v`` the image is cacheable
for a year (``immutable``); without it (or with an old one) caches revalidate
with the ``ETag`` (the SHA-256 of the bytes) and get a 304.
"""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.utils.http import http_date, parse_etags
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from accounts.avatars import avatar_bytes, avatar_get, avatar_remove, avatar_set
from accounts.images import ACCEPTED_TYPES
from accounts.profile import refuse_api_keys
from accounts.records import Avatar
from accounts.selectors import user_me
from accounts.serializers import UserSerializer
from accounts.throttles import AvatarUploadThrottle
from accounts.uploads import AvatarMultiPartParser, RawImageParser, read_upload
from accounts.views import UserEnvelope
from config.api.envelope import EnvelopeResponse
from config.api.errors import NotFound, StoreUnavailable
from config.api.schema import errors
from fdbstore.blobs import BlobMissing

LONG_CACHE = "public, max-age=31536000, immutable"
REVALIDATE = "public, no-cache"

_UPLOAD = {media_type: OpenApiTypes.BINARY for media_type in ACCEPTED_TYPES}
_UPLOAD["multipart/form-data"] = {
    "type": "object",
    "properties": {"avatar": {"type": "string", "format": "binary"}},
    "required": ["avatar"],
    "additionalProperties": False,
}


class AvatarNotFound(NotFound):
    default_code = "avatar_not_found"
    default_detail = "This user has no avatar."


class MyAvatarView(APIView):
    http_method_names = ["put", "delete"]
    parser_classes = [RawImageParser, AvatarMultiPartParser]
    throttle_classes = [AvatarUploadThrottle]  # PUT only, per user

    @extend_schema(
        summary="Set your avatar",
        description="The image as the raw body (image/png, image/jpeg, image/webp or "
        "image/gif) or as multipart/form-data with one file field `avatar`; at most 5 MiB "
        "on the wire. Accepted by its content, never by the declared type alone; stored "
        "re-encoded as WebP of at most 512x512 without metadata (an animated image keeps "
        "its first frame). Answers the user, whose `avatarUrl` changes with every image.",
        request=_UPLOAD,
        responses={
            200: UserEnvelope,
            **errors(
                401,
                405,
                503,
                e400="Not an accepted image by its content, a type that disagrees with the "
                "content, a decompression bomb, a truncated or corrupt file, bytes after "
                "the image's end, an empty body, or a form without exactly one `avatar` file.",
                e413="The upload is larger than 5 MiB (refused from Content-Length).",
                e415="A Content-Type other than the four image types or multipart/form-data.",
                e429="More uploads than `THROTTLE_AVATAR_RATE` (default 30/hour) for this user; "
                "`Retry-After` says when the window ends.",
            ),
        },
    )
    def put(self, request):
        refuse_api_keys(request.user)
        upload = read_upload(request)
        avatar_set(user_id=request.user.user_id, data=upload.content, declared=upload.declared)
        return EnvelopeResponse(UserSerializer(user_me(principal=request.user)).data)

    @extend_schema(
        summary="Remove your avatar",
        description="Idempotent: 204 whether or not there was one; its keys are gone.",
        request=None,
        responses={204: None, **errors(401, 405, 503)},
    )
    def delete(self, request):
        refuse_api_keys(request.user)
        avatar_remove(user_id=request.user.user_id)
        return EnvelopeResponse(status=204)


_USER_ID = OpenApiParameter(
    "userId", OpenApiTypes.UUID, OpenApiParameter.PATH, description="User id (UUID)."
)
_VERSION = OpenApiParameter(
    "v", str, OpenApiParameter.QUERY, required=False, description="The version `avatarUrl` names."
)


class UserAvatarView(APIView):
    http_method_names = ["get", "head"]
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="A user's avatar image",
        description="The stored WebP; no token needed. `ETag`, `Last-Modified` and "
        "`Cache-Control` (a year, immutable, with the current `v`; else revalidate); "
        "`If-None-Match` answers 304. Also HEAD.",
        parameters=[_USER_ID, _VERSION],
        responses={
            (200, "image/webp"): OpenApiTypes.BINARY,
            304: None,
            **errors(405, 503, e404="No such user or no avatar (also: a malformed id)."),
        },
    )
    def get(self, request, userId: str):
        avatar = _avatar(userId)
        headers = _headers(avatar, current=request.query_params.get("v") == avatar.blob_id.hex)
        if _matches(request.META.get("HTTP_IF_NONE_MATCH"), avatar.digest):
            return HttpResponse(status=304, headers=headers)
        body = b""
        if request.method != "HEAD":
            avatar, body = _avatar_with_bytes(avatar)
            headers = _headers(avatar, current=request.query_params.get("v") == avatar.blob_id.hex)
        response = HttpResponse(body, content_type=avatar.media_type, headers=headers)
        response["Content-Length"] = str(avatar.size)
        return response


def _avatar(raw_id: str) -> Avatar:
    try:
        user_id = uuid.UUID(raw_id)
    except ValueError:
        raise AvatarNotFound("No avatar: the user id is not a UUID.") from None
    avatar = avatar_get(user_id=user_id)
    if avatar is None:
        raise AvatarNotFound()
    return avatar


def _avatar_with_bytes(avatar: Avatar) -> tuple[Avatar, bytes]:
    """The image's bytes; when it was replaced (or removed) between reading its record
    and its chunks, the record is read again, once."""
    try:
        return avatar, avatar_bytes(avatar)
    except BlobMissing:
        avatar = _avatar(str(avatar.user_id))
    try:
        return avatar, avatar_bytes(avatar)
    except BlobMissing:
        raise StoreUnavailable("The avatar is being replaced; try again.") from None


def _headers(avatar: Avatar, *, current: bool) -> dict[str, str]:
    return {
        "ETag": f'"{avatar.digest}"',
        "Cache-Control": LONG_CACHE if current else REVALIDATE,
        "Last-Modified": http_date(avatar.updated_at.timestamp()),
        "Cross-Origin-Resource-Policy": "cross-origin",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }


def _matches(header: str | None, digest: str) -> bool:
    if not header:
        return False
    tags = parse_etags(header)
    return "*" in tags or f'"{digest}"' in tags or f'W/"{digest}"' in tags
