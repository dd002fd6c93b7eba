"""The only request parser: JSON, bounded in size and depth.

DRF reads the body as a stream, so Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``
(enforced only by ``request.body``) would not apply: this parser reads at most
one byte past the limit and answers 413 beyond it. A body nested deeper than
Python's recursion limit makes ``json`` raise ``RecursionError``; that, like
any other undecodable body, is a 400, never a 500.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework import parsers
from rest_framework.utils import json

from config.api.errors import PayloadTooLarge, ValidationFailed


class MalformedJSON(ValidationFailed):
    default_code = "malformed_json"
    default_detail = "The request body is not valid JSON."


def parse_json(stream, limit: int | None, parser_context=None):
    """The JSON document of a body of at most ``limit`` bytes (None: any size):
    413 above it, 400 ``malformed_json`` for anything that is not strict JSON."""
    raw = stream.read() if limit is None else stream.read(limit + 1)
    if limit is not None and len(raw) > limit:
        raise PayloadTooLarge(f"The request body is larger than {limit} bytes.")
    encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
    try:
        return json.loads(raw.decode(encoding), parse_constant=json.strict_constant)
    except (ValueError, LookupError, RecursionError):
        raise MalformedJSON() from None


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return parse_json(stream, settings.DATA_UPLOAD_MAX_MEMORY_SIZE, parser_context)
