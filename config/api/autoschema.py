"""The project's schema class: drf-spectacular's, telling one more rule.

A ``CharField`` that strips whitespace and may not be blank refuses a value
of only whitespace (400 "may not be blank"), which ``minLength: 1`` alone
does not say. The pattern ``NOT_BLANK`` (one character that is not whitespace)
says it, in the sense of Python's ``str.strip`` that DRF uses: schema-driven
clients and fuzzers (tests/hostile/test_openapi_fuzz.py) then know that
``" "`` or ``"\\u000b"`` is no name.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

# One character that ``str.strip`` keeps: JSON Schema's (ECMA-262) ``\s`` lacks
# Python's U+001C..U+001F and U+0085, so they are named.
NOT_BLANK = r"[^\s\u001c-\u001f\u0085]"

# Fields whose format or own pattern already excludes a blank value.
_FORMATTED = (
    serializers.EmailField,
    serializers.RegexField,
    serializers.SlugField,
    serializers.URLField,
    serializers.UUIDField,
    serializers.IPAddressField,
)


class AutoSchema(SpectacularAutoSchema):
    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if (
            meta.get("minLength") == 1
            and isinstance(field, serializers.CharField)
            and not isinstance(field, _FORMATTED)
            and field.trim_whitespace
        ):
            meta["pattern"] = NOT_BLANK
        return meta
