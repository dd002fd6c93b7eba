"""OpenAPI helpers: the envelope and error shapes, for ``extend_schema``.

Views return bare data and the renderer wraps it, so the schema has to be
told the enveloped shapes: ``envelope(...)`` builds a named serializer for
``{"success": true, "data": ...}`` and ``errors(...)`` the documented error
responses of an endpoint.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

_ERRORS = {
    400: "Invalid input. `details` maps each field (camelCase) to its messages; "
    "`nonFieldErrors` holds the rest.",
    401: "Missing, malformed, expired or revoked token (`WWW-Authenticate: Bearer`).",
    403: "Your role in the tenant does not allow this (`permission_denied`), or an API key "
    "tried what only a user's token may.",
    404: "Not found (also: a malformed id, or another tenant's resource).",
    405: "Method not allowed on this path (`Allow` lists the allowed ones).",
    409: "Conflict with the current state.",
    413: "Request body larger than the limit.",
    415: "Request body not sent as `application/json`.",
    429: "Throttled; `Retry-After` gives the seconds to wait.",
    503: "The data store cannot be reached; retry after `Retry-After` seconds.",
}


@extend_schema_field({"type": "boolean", "enum": [True]})
class TrueField(serializers.BooleanField):
    pass


@extend_schema_field({"type": "boolean", "enum": [False]})
class FalseField(serializers.BooleanField):
    pass


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. `email_taken`.")
    message = serializers.CharField(help_text="Human-readable explanation.")
    details = serializers.DictField(
        required=False, help_text="Present for validation errors: field -> list of messages."
    )


class ErrorEnvelopeSerializer(serializers.Serializer):
    success = FalseField()
    error = ErrorSerializer()


def strip_trailing_slash(endpoints, **kwargs):
    """Preprocessing hook: document the guide's paths (the router also accepts a slash)."""
    return [
        (
            path.rstrip("/")
            if path.startswith("/api/v5/")
            and path.count("/") > 3
            and not path.endswith(("/schema/", "/docs/"))
            else path,
            regex,
            method,
            view,
        )
        for path, regex, method, view in endpoints
    ]


def envelope(
    name: str,
    data: serializers.Field,
    *,
    meta: serializers.Field | None = None,
) -> type[serializers.Serializer]:
    """A serializer class named ``name`` for ``{"success": true, "data": data, "meta"?}``."""
    fields: dict[str, serializers.Field] = {"success": TrueField(), "data": data}
    if meta is not None:
        fields["meta"] = meta
    # many=False: an envelope is one object even around a list, which spectacular
    # would otherwise document as an array of envelopes on ``list`` actions.
    return extend_schema_serializer(many=False)(type(name, (serializers.Serializer,), fields))


def errors(*statuses: int, **overrides: str) -> dict[int, OpenApiResponse]:
    """Documented error responses; ``overrides`` (``e409="..."``) document a status
    with their own description (listed in ``statuses`` or not)."""
    statuses = tuple(sorted({*statuses, *(int(name[1:]) for name in overrides)}))
    return {
        status: OpenApiResponse(
            ErrorEnvelopeSerializer, description=overrides.get(f"e{status}") or _ERRORS[status]
        )
        for status in statuses
    }
