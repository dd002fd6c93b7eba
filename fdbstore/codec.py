"""Versioned JSON for frozen dataclass records.

A stored record is a JSON object with a schema version under ``"_v"`` and
the dataclass fields under their names. ``uuid.UUID`` becomes its string form
and ``datetime`` ISO-8601 in UTC. A repository may declare ``upgrade`` steps so
a record written by an older schema is read as the current one.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

R = TypeVar("R")

VERSION_FIELD = "_v"


class CodecError(ValueError):
    """A stored value is not a record this codec can read, or a record cannot be stored."""


def _encode_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            # astimezone() would read it in the server's local zone: the stored
            # instant would then depend on the machine that wrote it.
            raise CodecError(f"naive datetime {value.isoformat()} has no time zone")
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value


def _decoder(kind: Any) -> Callable[[Any], Any]:
    """Return a function turning a JSON value back into ``kind``."""
    if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
        inner = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        decode = _decoder(inner[0])
        return lambda raw: None if raw is None else decode(raw)
    if kind is uuid.UUID:
        return uuid.UUID
    if kind is datetime:
        return lambda raw: datetime.fromisoformat(raw.replace("Z", "+00:00"))
    return lambda raw: raw


class RecordCodec(Generic[R]):
    """Encode and decode one dataclass type, at one schema version."""

    def __init__(
        self,
        record_type: type[R],
        *,
        version: int = 1,
        upgrades: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] | None = None,
    ) -> None:
        self.record_type = record_type
        self.version = version
        self.upgrades = upgrades or {}  # {from_version: fn(data) -> data at from_version + 1}
        hints = typing.get_type_hints(record_type)
        self._fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(record_type)]  # type: ignore[arg-type]

    def encode(self, record: R) -> bytes:
        data = {VERSION_FIELD: self.version}
        for name, _ in self._fields:
            data[name] = _encode_value(getattr(record, name))
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        try:
            return text.encode()
        except UnicodeEncodeError:  # a lone surrogate, e.g. "\ud800" from a JSON body
            raise CodecError(f"{self.record_type.__name__} holds text that is not UTF-8") from None

    def decode(self, raw: bytes) -> R:
        try:
            data = json.loads(raw)
            found = data.pop(VERSION_FIELD)
            while found < self.version:
                data = self.upgrades[found](data)
                found += 1
            if found != self.version:
                raise CodecError(f"record schema {found} is newer than {self.version}")
            return self.record_type(**{name: decode(data[name]) for name, decode in self._fields})
        except CodecError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise CodecError(f"cannot decode {self.record_type.__name__}: {exc}") from None
