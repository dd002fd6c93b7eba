"""Workspace paths: the rules, and the ``glob=`` filter.

A path is UTF-8 text, NFC-normalised here, ``/``-separated, relative to the
session's root: no empty, ``.`` or ``..`` segment (so no leading ``/``, no
``a//b``, no traversal), no NUL, control character or backslash, at most
``MAX_BYTES`` bytes in UTF-8 and ``MAX_DEPTH`` segments. Names are
case-sensitive. A broken rule is an ``InvalidPath`` naming it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from files.errors import InvalidPath

MAX_BYTES = 1024
MAX_DEPTH = 64
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _refuse(rule: str, message: str) -> InvalidPath:
    return InvalidPath(f"Invalid path: {message}", details={"path": [message], "rule": rule})


def parse_path(raw: str, *, allow_root: bool = False) -> tuple[str, ...]:
    """Return the path's segments (``()`` for the root when ``allow_root``)."""
    if "\x00" in raw:
        raise _refuse("nul", "it contains a NUL character.")
    if "\\" in raw:
        raise _refuse("backslash", "it contains a backslash; separate names with '/'.")
    if _CONTROL.search(raw):
        raise _refuse("control_character", "it contains a control character.")
    try:
        text = unicodedata.normalize("NFC", raw)
        size = len(text.encode("utf-8"))
    except UnicodeError:
        raise _refuse("encoding", "it is not valid UTF-8.") from None
    if size > MAX_BYTES:
        raise _refuse("too_long", f"it is longer than {MAX_BYTES} bytes.")
    if text == "":
        if allow_root:
            return ()
        raise _refuse("empty", "it is empty.")
    parts = tuple(text.split("/"))
    if len(parts) > MAX_DEPTH:
        raise _refuse("too_deep", f"it has more than {MAX_DEPTH} levels.")
    if text.startswith("/"):
        raise _refuse("absolute", "it starts with '/'; paths are relative to the session.")
    if any(part == "" for part in parts):
        raise _refuse("empty_segment", "it has an empty segment ('//' or a trailing '/').")
    if any(part in (".", "..") for part in parts):
        raise _refuse("dot_segment", "it has a '.' or '..' segment.")
    return parts


def join(parts: tuple[str, ...]) -> str:
    return "/".join(parts)


@lru_cache(maxsize=256)
def compile_glob(pattern: str) -> re.Pattern[str]:
    """A glob over relative paths: ``*`` and ``?`` stay within a name, ``**/`` spans
    any number of directories (none included), ``[...]`` is a character class."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end].replace("\\", "\\\\")
            out.append("[^" + body[1:] + "]" if body.startswith("!") else "[" + body + "]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z", re.DOTALL)
