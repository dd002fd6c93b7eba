"""Conditional requests and byte ranges: parsing the headers, judging an entry.

``If-Match`` compares strongly (a weak tag never matches), ``If-None-Match``
weakly, as RFC 9110 says. Only a single range is served as 206; a multi-range
or malformed ``Range`` is ignored (the whole file, 200), which RFC 9110 allows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from files.errors import PreconditionFailed, RangeNotSatisfiable
from files.records import Entry

_TAG = re.compile(r'\s*(W/)?("[^"\x00-\x1f]*")\s*(?:,|$)')


def parse_tags(header: str | None) -> tuple[str, ...] | None:
    """The entity tags of an ``If-Match`` / ``If-None-Match`` value (``("*",)`` for any),
    weak ones prefixed ``W/``; None when absent. A malformed list matches nothing."""
    if header is None:
        return None
    if header.strip() == "*":
        return ("*",)
    tags, pos = [], 0
    while pos < len(header):
        match = _TAG.match(header, pos)
        if match is None:
            return ("<malformed>",)
        tags.append((match.group(1) or "") + match.group(2))
        pos = match.end()
    return tuple(tags) or ("<malformed>",)


@dataclass(frozen=True)
class Preconditions:
    if_match: tuple[str, ...] | None = None
    if_none_match: tuple[str, ...] | None = None

    def check(self, entry: Entry | None) -> None:
        """Raise ``PreconditionFailed`` unless ``entry`` (None: nothing there) satisfies them."""
        etag = None if entry is None else entry.etag
        if self.if_match is not None:
            any_ok = "*" in self.if_match and entry is not None
            if not any_ok and (etag is None or etag not in self.if_match):
                raise PreconditionFailed()
        if self.if_none_match is not None:
            if "*" in self.if_none_match and entry is not None:
                raise PreconditionFailed()
            if etag is not None and etag in _weak_set(self.if_none_match):
                raise PreconditionFailed()


def _weak_set(tags: tuple[str, ...]) -> set[str]:
    return {tag.removeprefix("W/") for tag in tags}


def not_modified(entry: Entry, if_none_match: tuple[str, ...] | None) -> bool:
    """True when a GET's ``If-None-Match`` names the entry's tag (weakly) or is ``*``."""
    if if_none_match is None:
        return False
    return "*" in if_none_match or entry.etag in _weak_set(if_none_match)


_RANGE = re.compile(r"^bytes=\s*(\d*)\s*-\s*(\d*)\s*$")


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The single byte range ``[start, stop)`` a ``Range`` header asks of ``size`` bytes;
    None to serve the whole file; ``RangeNotSatisfiable`` when it lies outside."""
    if header is None or len(header) > 200:
        return None
    match = _RANGE.match(header)
    if match is None:  # malformed, another unit, or several ranges: ignored
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":  # the last N bytes
        count = int(last)
        if count == 0:
            raise RangeNotSatisfiable()
        return max(size - count, 0), size
    start = int(first)
    stop = size if last == "" else int(last) + 1
    if last != "" and stop <= start:
        return None  # last < first: syntactically invalid, ignored
    if start >= size:
        raise RangeNotSatisfiable()
    return start, min(stop, size)
