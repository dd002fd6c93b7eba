"""Files bodies and queries (camelCase on the wire)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from config.api.fields import CursorField, TextField
from config.api.strict import StrictInputSerializer
from files.records import Entry
from files.selectors import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from sessions_api.serializers import iso_utc


def _path_field(**kwargs: Any) -> TextField:
    return TextField(trim_whitespace=False, max_length=4096, **kwargs)


class EntrySerializer(serializers.Serializer):
    """A file or directory (documents the output; ``entry_data`` builds it)."""

    path = serializers.CharField(help_text="From the session's root, '/'-separated.")
    name = serializers.CharField()
    type = serializers.ChoiceField(choices=["file", "directory"])
    size = serializers.IntegerField(help_text="Bytes; 0 for a directory.")
    etag = serializers.CharField(allow_null=True, help_text="Quoted; null for a directory.")
    contentType = serializers.CharField(allow_null=True)
    updatedAt = serializers.DateTimeField()


def entry_data(path: str, entry: Entry) -> dict[str, Any]:
    return {
        "path": path,
        "name": path.rsplit("/", 1)[-1],
        "type": entry.kind,
        "size": entry.size,
        "etag": entry.etag,
        "contentType": entry.content_type or None,
        "updatedAt": iso_utc(entry.updated_at),
    }


class FileListQuerySerializer(serializers.Serializer):
    path = _path_field(
        required=False, allow_blank=True, default="", help_text="A directory; empty for the root."
    )
    recursive = serializers.BooleanField(required=False, default=False)
    limit = serializers.IntegerField(
        required=False, default=DEFAULT_PAGE_SIZE, min_value=1, max_value=MAX_PAGE_SIZE
    )
    cursor = CursorField(max_length=4096)
    glob = TextField(
        required=False,
        allow_blank=True,
        max_length=1024,
        help_text="Filters paths relative to `path`, e.g. `**/*.py`.",
    )


class FileTreeOpSerializer(StrictInputSerializer):
    """``{from, to, overwrite}`` for ``files:move`` and ``files:copy``."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            "from": _path_field(),
            "to": _path_field(),
            "overwrite": serializers.BooleanField(required=False, default=False),
        }


class UsageSerializer(serializers.Serializer):
    bytes = serializers.IntegerField()
    files = serializers.IntegerField()
    quotaBytes = serializers.IntegerField()
    quotaFiles = serializers.IntegerField()
