"""The dump file: versioned JSON lines, one key-value pair per line.

::

    {"format":"fdbstore-dump","layout":1,"root":"coditect","scope":"store","version":1}
    {"key":"<base64>","tuple":"('users', UUID('...'))","value":"<base64>"}
    ...
    {"end":"fdbstore-dump","keys":2}

- ``key`` is the key *relative to the root subspace*, base64; ``value`` is
  the raw value, base64. Together they give back the exact bytes.
- ``tuple`` is the key unpacked, for people reading or grepping a dump. It is
  checked against ``key`` on load, so an edited ``tuple`` is refused rather
  than silently ignored.
- Keys come in strictly ascending byte order, so a duplicate is impossible.
- The end line carries the number of pairs: a file cut short at a line
  boundary is refused like one cut mid-line.
- Every line is canonical JSON (sorted fields, no spaces, ASCII), so one
  store always dumps to the same bytes.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from fdb import tuple as fdbtuple

from fdbstore.errors import StoreError
from fdbstore.keys import LAYOUT_VERSION

FORMAT = "fdbstore-dump"
VERSION = 1
SCOPES = ("store", "tenant")
MAX_LINE = 1_000_000  # a 100,000-byte value and a 10,000-byte key fit many times over


class DumpError(StoreError):
    """A dump cannot be written or loaded."""


class DumpFormatError(DumpError, ValueError):
    """The input is not a valid dump; nothing was written."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        super().__init__(f"line {line}: {message}")


@dataclass(frozen=True)
class Header:
    layout: int
    root: str
    scope: str  # "store" or "tenant"
    tenant: uuid.UUID | None = None

    def line(self) -> str:
        data: dict[str, Any] = {"format": FORMAT, "version": VERSION, "layout": self.layout}
        data.update(root=self.root, scope=self.scope)
        if self.tenant is not None:
            data["tenant"] = str(self.tenant)
        return _line(data)


def _line(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True) + "\n"


def readable(relative_key: bytes) -> str:
    """The key as a tuple, for people; falls back to hex for a non-tuple key."""
    try:
        return repr(fdbtuple.unpack(relative_key))
    except Exception:  # whatever the tuple layer raises on foreign bytes
        return "0x" + relative_key.hex()


def entry_line(relative_key: bytes, value: bytes) -> str:
    return _line(
        {
            "key": base64.b64encode(relative_key).decode(),
            "tuple": readable(relative_key),
            "value": base64.b64encode(value).decode(),
        }
    )


def end_line(count: int) -> str:
    return _line({"end": FORMAT, "keys": count})


# -- reading ------------------------------------------------------------------------
def read_header(source: IO[bytes]) -> Header:
    """Parse and check the first line; refuse a dump newer than this code."""
    data = _json_object(1, _readline(source, 1), "not an fdbstore dump (no header line)")
    if data.get("format") != FORMAT:
        raise DumpFormatError(1, f"not an fdbstore dump (format is not {FORMAT!r})")
    version = data.get("version")
    if type(version) is not int:
        raise DumpFormatError(1, "the header has no format version")
    if version > VERSION:
        raise DumpError(
            f"the dump is format version {version}; this code reads up to {VERSION}. "
            "Load it with a newer release of the application."
        )
    expected = {"format", "version", "layout", "root", "scope"}
    if data.get("scope") == "tenant":
        expected.add("tenant")
    if set(data) != expected:
        raise DumpFormatError(1, f"the header must have exactly {sorted(expected)}")
    layout, root, scope = data["layout"], data["root"], data["scope"]
    if type(layout) is not int or layout < 1:
        raise DumpFormatError(1, "the header's layout is not a positive integer")
    if layout > LAYOUT_VERSION:
        raise DumpError(
            f"the dump has key layout {layout}; this code understands up to "
            f"{LAYOUT_VERSION}. Load it with a newer release of the application."
        )
    if not isinstance(root, str) or not root or scope not in SCOPES:
        raise DumpFormatError(1, "the header's root or scope is not valid")
    tenant = None
    if scope == "tenant":
        try:
            tenant = uuid.UUID(data["tenant"])
        except (TypeError, ValueError, AttributeError):
            raise DumpFormatError(1, "the header's tenant is not a UUID") from None
    return Header(layout, root, scope, tenant)


def read_entries(source: IO[bytes]) -> Iterator[tuple[int, bytes, bytes]]:
    """Yield ``(line, relative_key, value)`` for every entry after the header.

    Raises ``DumpFormatError`` at the first bad line, on keys out of order, on
    a missing or wrong end line and on anything after it."""
    previous: bytes | None = None
    count = 0
    line = 1
    while True:
        line += 1
        raw = _readline(source, line)
        if not raw:
            raise DumpFormatError(line, "the dump ends without its end line: it is truncated")
        data = _json_object(line, raw, "not a JSON object")
        if "end" in data:
            _check_end(line, data, count)
            if _readline(source, line + 1):
                raise DumpFormatError(line + 1, "unexpected content after the end line")
            return
        key, value = _entry(line, data)
        if previous is not None and key <= previous:
            raise DumpFormatError(line, "keys are not in strictly ascending order")
        previous = key
        count += 1
        yield line, key, value


def _readline(source: IO[bytes], line: int) -> bytes:
    raw = source.readline(MAX_LINE + 1)
    if len(raw) > MAX_LINE:
        raise DumpFormatError(line, f"line longer than {MAX_LINE} bytes")
    return raw


def _json_object(line: int, raw: bytes, problem: str) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise DumpFormatError(line, problem) from None
    if not isinstance(data, dict):
        raise DumpFormatError(line, problem)
    return data


def _check_end(line: int, data: dict[str, Any], count: int) -> None:
    if data != {"end": FORMAT, "keys": data.get("keys")} or type(data["keys"]) is not int:
        raise DumpFormatError(line, "malformed end line")
    if data["keys"] != count:
        raise DumpFormatError(
            line, f"the end line counts {data['keys']} keys but the dump holds {count}"
        )


def _entry(line: int, data: dict[str, Any]) -> tuple[bytes, bytes]:
    if set(data) != {"key", "tuple", "value"}:
        raise DumpFormatError(line, "an entry must have exactly key, tuple and value")
    key = _base64(line, data["key"], "key")
    value = _base64(line, data["value"], "value")
    if not key:
        raise DumpFormatError(line, "empty key")
    if data["tuple"] != readable(key):
        raise DumpFormatError(
            line, "'tuple' does not match 'key' (edit the base64 key, not its readable form)"
        )
    return key, value


def _base64(line: int, text: Any, field: str) -> bytes:
    if not isinstance(text, str):
        raise DumpFormatError(line, f"{field} is not a base64 string")
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise DumpFormatError(line, f"{field} is not valid base64") from None
    if base64.b64encode(raw).decode() != text:
        raise DumpFormatError(line, f"{field} is not canonical base64")
    return raw
