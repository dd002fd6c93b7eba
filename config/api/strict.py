"""Request bodies that name only fields the endpoint knows.

DRF drops unknown keys silently, so a client's typo (``workspace_path`` for
``workspacePath``) would be answered 201 and the value lost. A body given to
a ``StrictInputSerializer`` may hold only its writable fields; any other key
is a 400 naming it (read-only fields such as ``id`` or ``tenantId`` count as
unknown: a client never chooses them). The schema says the same: request
bodies get ``additionalProperties: false``.
"""

from __future__ import annotations

from collections.abc import Mapping

from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers

MAX_NAMED = 10  # a body with 10,000 unknown keys gets 10 of them named back
MAX_NAME_LENGTH = 64


def _shown(name: str) -> str:
    """The key as it can be echoed: valid UTF-8, bounded."""
    safe = name.encode("utf-8", "backslashreplace").decode("utf-8")
    return safe if len(safe) <= MAX_NAME_LENGTH else safe[:MAX_NAME_LENGTH] + "..."


class StrictInputSerializer(serializers.Serializer):
    """A ``Serializer`` whose input refuses keys that are not writable fields."""

    def unknown_fields(self, data) -> list[str]:
        if not isinstance(data, Mapping):
            return []  # DRF's own "Invalid data" error answers a non-object
        writable = {name for name, field in self.fields.items() if not field.read_only}
        return sorted(str(key) for key in data if key not in writable)

    def to_internal_value(self, data):
        unknown = self.unknown_fields(data)
        errors = {_shown(name): ["Unknown field."] for name in unknown[:MAX_NAMED]}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if errors and isinstance(exc.detail, dict):
                exc.detail.update(errors)
            raise
        if errors:
            raise serializers.ValidationError(errors)
        return value


class StrictInputSerializerScheme(OpenApiSerializerExtension):
    target_class = StrictInputSerializer
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["additionalProperties"] = False
        return schema
